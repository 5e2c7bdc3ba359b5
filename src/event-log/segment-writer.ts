import { Worker } from "node:worker_threads";
import { writerThread } from "./segment-writer-worker.js";

export type WriterRequest = { type: "append"; id: number; segment: number; text: string } | { type: "close"; id: number };
export type WriterReply = { id: number; start?: number; lengths?: number[]; error?: string };

/** Where a batch landed: the offset of its first line, and each line's length in bytes (newline excluded). */
export interface Written {
  start: number;
  lengths: number[];
}

/**
 * The main thread's side of the record writer: posts batches of lines to a worker thread that writes and
 * fdatasyncs them (segment-writer-worker.ts), and resolves each batch when the worker says it is durable.
 * The write and the wait for the disk cost the main thread nothing but a message each way. The worker starts
 * on the first batch, and keeps the process alive only while a batch is in flight.
 */
export class SegmentWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: WriterReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly dir: string) {}

  /** Appends `text` (whole lines, each ending in a newline) to a segment; resolves once it is on disk. */
  async append(segment: number, text: string): Promise<Written> {
    const reply = await this.send({ type: "append", id: 0, segment, text });
    return { start: reply.start!, lengths: reply.lengths! };
  }

  /** Closes the worker's file and ends the worker; the next append starts another. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.send({ type: "close", id: 0 });
    this.worker = undefined;
    await worker.terminate();
  }

  private send(request: WriterRequest): Promise<WriterReply> {
    const worker = this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir: this.dir } });
    worker.unref();
    worker.on("message", (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error !== undefined) waiting?.reject(new Error(`event log: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    // A worker that dies fails what it held (those calls were not answered), and the next batch starts another.
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(e);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`event log writer exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

/**
 * The worker's code: writerThread's text, as compiled wherever this module was loaded from. tsx compiles with
 * esbuild's keepNames, which wraps inner functions in a `__name` helper the text does not carry: a no-op here.
 */
const WORKER_SOURCE = `var __name = (f) => f; (${writerThread.toString()})(require("node:fs"), require("node:path"), require("node:worker_threads"))`;

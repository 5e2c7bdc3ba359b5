import type { WriterReply, WriterRequest } from "./segment-writer.js";

/**
 * The record writer's thread: appends a batch of lines to a segment file, fdatasyncs it, and answers with
 * where the lines landed. It owns the one file descriptor that writes; the main thread only reads.
 *
 * segment-writer.ts starts a worker from this function's text (`eval`), so the same code runs from the
 * sources (vitest, tsx: no loader in the worker) and from the bundles (no second entry point to find). It
 * therefore uses nothing from outside its body: the node: modules it needs are its parameters.
 */
export function writerThread(fs: typeof import("node:fs"), path: typeof import("node:path"), threads: typeof import("node:worker_threads")): void {
  const { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, writeSync } = fs;
  const { join } = path;
  const { parentPort, workerData } = threads;
  const dir = (workerData as { dir: string }).dir;
  let open: { segment: number; fd: number; size: number } | undefined;

  const close = () => {
    if (open) closeSync(open.fd);
    open = undefined;
  };

  /** Writes the batch at the end of the segment and waits for the disk: its lines are durable on return. */
  const append = (segment: number, text: string): { start: number; lengths: number[] } => {
    if (open?.segment !== segment) {
      close();
      const fd = openSync(join(dir, `${String(segment).padStart(8, "0")}.ndjson`), "a");
      open = { segment, fd, size: fstatSync(fd).size };
    }
    const target = open;
    const data = Buffer.from(text, "utf8");
    try {
      for (let at = 0; at < data.length; ) at += writeSync(target.fd, data, at, data.length - at);
      fdatasyncSync(target.fd);
    } catch (e) {
      // A failed batch (a full disk) must not leave half a line for the next one to follow.
      try {
        ftruncateSync(target.fd, target.size);
      } catch {
        close();
      }
      throw e;
    }
    const start = target.size;
    const lengths: number[] = [];
    for (let from = 0; from < data.length; ) {
      const end = data.indexOf(10, from);
      lengths.push(end - from);
      from = end + 1;
    }
    target.size += data.length;
    return { start, lengths };
  };

  parentPort!.on("message", (request: WriterRequest) => {
    let reply: WriterReply;
    try {
      if (request.type === "append") reply = { id: request.id, ...append(request.segment, request.text) };
      else {
        close();
        reply = { id: request.id };
      }
    } catch (e) {
      reply = { id: request.id, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort!.postMessage(reply);
  });
}

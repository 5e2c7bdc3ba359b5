import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventHistory, SequencedEvent } from "../event-log/event-history.js";

/** Events a sink holds in memory before it stops queueing and reads the history instead. */
const QUEUE_LIMIT = 10_000;
/** Events read from the history per batch when catching up. */
const PAGE = 500;
/**
 * How often a moving cursor is written. Writing it after every batch (a write and a rename, which ext4 turns
 * into a flush of the file) cost the main thread more than the rest of a call; a crash now hands over again
 * at most this much of what was taken, which the at-least-once contract allows.
 */
const SAVE_EVERY_MS = 500;

export interface DurableSinkOptions {
  /** Names the cursor file: `<data dir>/sinks/<name>.json`. */
  name: string;
  history: EventHistory;
  /** Where the cursor is kept; undefined when ephemeral (a restart then starts from the newest event). */
  dataDir?: string;
  /**
   * Takes a batch of new events, oldest first. The cursor moves past the batch once this resolves, so
   * what it accepted is never handed over again, and what it had not is handed over again after a crash
   * (at least once). A throw is logged and the batch counts as taken: a sink retries on its own terms
   * and must never hold up the ones after it.
   */
  handle(events: SequencedEvent[]): Promise<void>;
}

export interface DurableSink {
  /** Resolves once every event recorded so far has been handed to the sink. */
  idle(): Promise<void>;
  /** After POST /_localtrail/reset: the history starts over, and so does the cursor. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A reaction to the history that must not lose events (EventBridge rules, Insights counters): fed after each
 * record is durable, asynchronously and in order, so a slow sink never slows a call. Its cursor in the event
 * log survives restarts, and a restart (kill -9 included) hands over every event after it.
 */
export function startDurableSink(options: DurableSinkOptions): DurableSink {
  const file = options.dataDir && join(options.dataDir, "sinks", `${options.name}.json`);
  const saved = readCursor(file);
  let cursor = saved ?? options.history.lastSeq();
  let queue: SequencedEvent[] = [];
  // Set when the queue overflowed, or at start when the history holds events after the cursor.
  let behind = options.history.lastSeq() > cursor;
  let running: Promise<void> | undefined;
  let closed = false;
  let saveTimer: NodeJS.Timeout | undefined;

  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!file) return;
    try {
      mkdirSync(join(options.dataDir!, "sinks"), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify({ cursor }));
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      console.error(`localtrail: ${options.name}: cannot keep the cursor:`, e);
    }
  };
  // A new sink starts at the end of the history: that start is written now, or a crash before the first
  // timed save would restart it at the end again and skip what was recorded meanwhile.
  if (saved === undefined) save();
  const saveSoon = () => {
    if (!file || saveTimer) return;
    saveTimer = setTimeout(save, SAVE_EVERY_MS);
    saveTimer.unref();
  };

  const next = (): SequencedEvent[] => {
    if (behind) {
      const page = options.history.eventsAfter(cursor, PAGE);
      if (page.length > 0) return page;
      behind = false;
    }
    const batch = queue.filter((e) => e.seq > cursor);
    queue = [];
    return batch;
  };

  const work = async () => {
    for (let batch = next(); batch.length > 0 && !closed; batch = next()) {
      try {
        await options.handle(batch);
      } catch (e) {
        console.error(`localtrail: ${options.name}:`, e);
      }
      cursor = batch[batch.length - 1]!.seq;
      saveSoon();
    }
  };
  const wake = () => {
    running ??= work().finally(() => {
      running = undefined;
      if (!closed && (behind || queue.length > 0)) wake();
    });
  };

  options.history.onAppend((events) => {
    if (closed) return;
    if (behind || queue.length + events.length > QUEUE_LIMIT) {
      queue = [];
      behind = true;
    } else {
      queue.push(...events);
    }
    wake();
  });
  if (behind) wake();

  return {
    async idle() {
      while (running || ((behind || queue.length > 0) && !closed)) {
        wake();
        await running;
      }
    },
    async reset() {
      await running;
      queue = [];
      behind = false;
      cursor = -1;
      save();
    },
    async close() {
      closed = true;
      await running;
      if (saveTimer) save();
    },
  };
}

function readCursor(file: string | undefined): number | undefined {
  if (!file) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { cursor?: unknown };
    return typeof saved.cursor === "number" ? saved.cursor : undefined;
  } catch {
    return undefined;
  }
}

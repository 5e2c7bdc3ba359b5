import type { Env, Hono } from "hono";
import { ImportError, type ImportResult } from "./import-log-files.js";
import { ClockError, parseDuration, type Clock } from "../clock.js";

/** A compressed CloudTrail log file is at most 50 MB; leave room for plain JSON ones. */
const MAX_IMPORT_BODY = 256 * 1024 * 1024;

export interface ControlTarget {
  version: string;
  startedAt: Date;
  services: string[];
  reset(): Promise<void>;
  clock: Clock;
  flush(): Promise<void>;
  /** `columnar`: to the Parquet store SQL reads (`localtrail import`), else to the event log LookupEvents reads. */
  importLogFile(body: Buffer, store: "columnar" | "log"): Promise<ImportResult>;
  /** Many log files at once (a multipart body, `localtrail import` batching): the files that fail are listed, the rest imported. */
  importLogFiles(files: { name: string; body: Buffer }[], store: "columnar" | "log"): Promise<ImportResult & { failed: { name: string; error: string }[] }>;
}

/**
 * The emulator's own endpoints (runtime contract): health (also at LocalStack's path, for tools written
 * for it), reset to a fresh start, flush of pending trail deliveries, and import of CloudTrail log files.
 * No bucket can shadow them: S3 bucket names cannot contain `_`.
 */
export function addControlRoutes<E extends Env>(app: Hono<E>, target: ControlTarget): void {
  const health = () => ({
    status: "running",
    version: target.version,
    edition: "localtrail",
    uptime: Math.round((Date.now() - target.startedAt.getTime()) / 1000),
    services: Object.fromEntries(target.services.map((s) => [s, "running"])),
  });
  app.get("/_localtrail/health", (c) => c.json(health()));
  app.get("/_localstack/health", (c) => c.json(health()));
  app.post("/_localtrail/reset", async (c) => {
    await target.reset();
    return c.json({ reset: true });
  });
  const clockState = () => ({ now: target.clock.now().toISOString(), real: target.clock.real });
  app.get("/_localtrail/clock", (c) => c.json(clockState()));
  // {"set": "<ISO time>"} or {"advance": "PT6H" | seconds}: emulated time jumps forward, then runs on.
  app.post("/_localtrail/clock", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'Expected a JSON body: {"set": "<ISO time>"} or {"advance": "PT6H"}.' }, 400);
    }
    const { set, advance } = (body ?? {}) as { set?: unknown; advance?: unknown };
    try {
      if ((set === undefined) === (advance === undefined)) throw new ClockError('Give exactly one of "set" or "advance".');
      if (set !== undefined) {
        if (typeof set !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(set)) throw new ClockError(`set: not an ISO 8601 time: ${JSON.stringify(set)}`);
        target.clock.set(new Date(set));
      } else {
        target.clock.advance(parseDuration(advance));
      }
    } catch (e) {
      if (e instanceof ClockError) return c.json({ error: e.message }, 400);
      throw e;
    }
    return c.json(clockState());
  });
  app.post("/_localtrail/flush", async (c) => {
    await target.flush();
    return c.json({ flushed: true });
  });
  app.post("/_localtrail/import", async (c) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_IMPORT_BODY) return c.json({ error: `A log file may be at most ${MAX_IMPORT_BODY} bytes.` }, 413);
    try {
      const store = c.req.query("store") === "columnar" ? "columnar" : "log";
      if (/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
        const form = await c.req.formData();
        const files = await Promise.all(
          [...form.values()].flatMap((v) => (typeof v === "string" ? [] : [v.arrayBuffer().then((b) => ({ name: v.name, body: Buffer.from(b) }))])),
        );
        return c.json(await target.importLogFiles(files, store));
      }
      return c.json(await target.importLogFile(Buffer.from(await c.req.arrayBuffer()), store));
    } catch (e) {
      if (e instanceof ImportError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });
}

import type { Env, Hono } from "hono";
import { ImportError, type ImportResult } from "./import-log-files.js";

/** A compressed CloudTrail log file is at most 50 MB; leave room for plain JSON ones. */
const MAX_IMPORT_BODY = 256 * 1024 * 1024;

export interface ControlTarget {
  version: string;
  startedAt: Date;
  services: string[];
  reset(): Promise<void>;
  flush(): Promise<void>;
  importLogFile(body: Buffer): Promise<ImportResult>;
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
  app.post("/_localtrail/flush", async (c) => {
    await target.flush();
    return c.json({ flushed: true });
  });
  app.post("/_localtrail/import", async (c) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_IMPORT_BODY) return c.json({ error: `A log file may be at most ${MAX_IMPORT_BODY} bytes.` }, 413);
    try {
      return c.json(await target.importLogFile(Buffer.from(await c.req.arrayBuffer())));
    } catch (e) {
      if (e instanceof ImportError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });
}

import type { Env, Hono } from "hono";

export interface ControlTarget {
  version: string;
  startedAt: Date;
  services: string[];
  reset(): Promise<void>;
  flush(): Promise<void>;
}

/**
 * The emulator's own endpoints (runtime contract): health (also at LocalStack's path, for tools written
 * for it), reset to a fresh start, and flush of pending trail deliveries. No bucket can shadow them:
 * S3 bucket names cannot contain `_`.
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
}

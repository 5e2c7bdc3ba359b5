import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, type Config } from "../../src/config.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { services, authSchemes } from "../../emulated-services/index.js";

export interface TestServer extends RunningServer {
  dataDir?: string;
  /** Stops the server and removes its data dir. */
  close(): Promise<void>;
}

/**
 * A real localtrail on 127.0.0.1 and a free port, in this process. `persistent` gives it a fresh data dir
 * in the system temp dir (removed on close); otherwise it is --ephemeral.
 */
export async function startTestServer(options: { persistent?: boolean; dataDir?: string; flags?: string[]; now?: () => Date } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (options.persistent ? mkdtempSync(join(tmpdir(), "localtrail-test-")) : undefined);
  const args = ["--port", "0", ...(dataDir ? ["--data-dir", dataDir] : ["--ephemeral"]), ...(options.flags ?? [])];
  const config = parseConfig(args, {}) as Config;
  const running = await startServer(config, { services, authSchemes, now: options.now });
  return {
    ...running,
    dataDir,
    async close() {
      await running.stop();
      if (dataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";
import { createLocaltrail, type Localtrail, type LocaltrailOptions } from "./app.js";
import { answerUnparseableRequests } from "./client-errors.js";

export interface RunningServer {
  localtrail: Localtrail;
  server: Server;
  /** http://host:port as bound (the real port when --port 0). */
  url: string;
  stop(): Promise<void>;
}

/** Starts the emulator on its port; resolves once it accepts connections. */
export async function startServer(config: Config, options: LocaltrailOptions): Promise<RunningServer> {
  const localtrail = await createLocaltrail(config, options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: localtrail.app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
    s.once("error", reject);
  });
  // Large uploads and slow function invocations outlast Node's default request timeout of 300 s.
  server.requestTimeout = 0;
  answerUnparseableRequests(server);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  localtrail.env.endpoint = url;
  let stopping: Promise<void> | undefined;
  return {
    localtrail,
    server,
    url,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await localtrail.close();
      })();
      return stopping;
    },
  };
}

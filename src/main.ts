import { ConfigError, HELP, parseConfig } from "./config.js";
import { startServer } from "./server.js";
import { VERSION } from "./version.js";
import { services, authSchemes } from "../emulated-services/index.js";

/** CLI entry: flags and environment -> config -> server; the ready line, then `Ready.`; clean stop on signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof Error && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`localtrail: ${e.message}\n\n${HELP}`);
      process.exit(2);
    }
    throw e;
  }
  if (config === "help") return void console.log(HELP);
  if (config === "version") return void console.log(VERSION);

  const running = await startServer(config, { services, authSchemes });
  if (config.enforceIam !== "off") console.log(`localtrail: IAM policy enforcement ${config.enforceIam === "soft" ? "soft (denials recorded, calls allowed)" : "on"}`);
  console.log(`localtrail ready on ${running.url}`);
  // Tools written for LocalStack wait for this line.
  console.log("Ready.");
  const stop = (signal: string) => {
    console.log(`localtrail: ${signal}, shutting down`);
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error("localtrail: failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});

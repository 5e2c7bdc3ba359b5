import { ConfigError, HELP, parseConfig } from "../config.js";
import { startServer, type RunningServer } from "../server.js";
import { VERSION } from "../version.js";
import { services, authSchemes } from "../../emulated-services/index.js";
import { banner } from "../terminal/banner.js";
import { printCalls } from "../terminal/call-lines.js";
import { checkDataDir, EXIT, listenError, StartupError } from "./startup-errors.js";
import { subcommandHelp } from "./commands.js";

/** `localtrail [options]`: flags and environment -> config -> server; the banner, the ready line, then `Ready.`; a line per call. */
export async function serve(argv: string[]): Promise<number> {
  let config;
  try {
    config = parseConfig(argv, process.env);
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof Error && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`localtrail: ${e.message}\n\n${HELP}\n\n${subcommandHelp()}`);
      return EXIT.usage;
    }
    throw e;
  }
  if (config === "help") return void console.log(`${HELP}\n\n${subcommandHelp()}`), EXIT.ok;
  if (config === "version") return void console.log(VERSION), EXIT.ok;

  let running: RunningServer;
  try {
    if (!config.ephemeral) checkDataDir(config.dataDir);
    running = await startServer(config, { services, authSchemes });
  } catch (e) {
    const known = e instanceof StartupError ? e : listenError(e, config.host, config.port);
    if (!known) throw e;
    console.error(known.message);
    return known.exitCode;
  }
  if (!config.quiet) {
    console.log(banner(config, running.url, running.localtrail.env.dataDir));
    printCalls(running.localtrail.eventLog, { format: config.logFormat, color: process.stdout.isTTY === true && !process.env.NO_COLOR, write: (text) => process.stdout.write(text) });
  }
  if (config.enforceIam !== "off") console.log(`localtrail: IAM policy enforcement ${config.enforceIam === "soft" ? "soft (denials recorded, calls allowed)" : "on"}`);
  console.log(`localtrail ready on ${running.url}`);
  // Tools written for LocalStack wait for this line.
  console.log("Ready.");
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      console.log(`localtrail: ${signal}, shutting down`);
      running.stop().then(
        () => resolve(EXIT.ok),
        (e: unknown) => {
          console.error("localtrail: could not shut down cleanly:", e instanceof Error ? e.message : e);
          resolve(EXIT.failed);
        },
      );
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

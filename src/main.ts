import { ConfigError, HELP, parseConfig } from "./config.js";
import { VERSION } from "./version.js";

/** Subcommands that talk to a running localtrail or read its data dir, instead of starting a server. */
const COMMANDS: Record<string, (argv: string[]) => Promise<unknown>> = {
  query: async (argv) => (await import("./commands/query-command.js")).queryCommand(argv, process.env, console.log),
  import: async (argv) =>
    (await import("./commands/import-command.js")).importCommand(argv, process.env, console.log, (line) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    }),
  export: async (argv) => (await import("./commands/export-command.js")).exportCommand(argv, process.env, console.log),
};

/** CLI entry: flags and environment -> config -> server; the ready line, then `Ready.`; clean stop on signals. */
async function main(): Promise<void> {
  const command = COMMANDS[process.argv[2] ?? ""];
  if (command) {
    try {
      await command(process.argv.slice(3));
      // Done: fetch's idle keep-alive sockets would hold the process for seconds more.
      process.exit(0);
    } catch (e) {
      if (process.stderr.isTTY) process.stderr.write("\n");
      console.error(`localtrail ${process.argv[2]}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
    return;
  }
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

  // Loaded here, not above: the subcommands start in a moment without the services.
  const { startServer } = await import("./server.js");
  const { services, authSchemes } = await import("../emulated-services/index.js");
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

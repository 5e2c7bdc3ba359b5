import { SUBCOMMANDS } from "./cli/commands.js";
import { CommandError } from "./cli/http.js";

/**
 * The `localtrail` command: `localtrail <subcommand> ...` (src/cli/commands.ts lists them) works with a
 * running emulator; anything else runs the emulator (src/cli/serve.ts).
 */
async function main(argv: string[]): Promise<void> {
  const command = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined;
  if (!command) {
    // Loaded only to serve: the commands start without the emulator's code.
    const { serve } = await import("./cli/serve.js");
    // The server runs until a signal; its workers and timers would outlive a plain return.
    process.exit(await serve(argv));
  }
  try {
    process.exitCode = await command.run(argv.slice(1));
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    console.error(e.message);
    process.exitCode = e.exitCode;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error("localtrail: failed:", e instanceof Error ? e.message : e);
  process.exit(1);
});

import { eventsCommand } from "./events-command.js";
import { importCommand } from "./import-command.js";
import { policyCommand } from "./policy-command.js";
import { QUERY_HELP, queryCommand } from "./query-command.js";
import { EXPORT_HELP, exportCommand } from "./export-command.js";

/** A `localtrail <name>` command that works with a running emulator; resolves with the exit code. */
export interface Subcommand {
  /** One line for `localtrail --help`. */
  summary: string;
  /** `localtrail <name> --help`. */
  usage: string;
  run(args: string[]): Promise<number>;
}

/**
 * Every subcommand of `localtrail`, by name: a new command is one file in src/cli/ and one row here.
 * Without a subcommand, `localtrail [options]` runs the emulator (serve.ts).
 */
export const SUBCOMMANDS: Record<string, Subcommand> = {
  events: eventsCommand,
  import: importCommand,
  policy: policyCommand,
  query: {
    summary: "SQL over the history (Athena's cloudtrail_logs table)",
    usage: QUERY_HELP,
    run: async (args) => (await queryCommand(args, process.env, console.log), 0),
  },
  export: {
    summary: "write the history in AWS's log layout, as Parquet or json.gz, for Athena, Trino or Spark",
    usage: EXPORT_HELP,
    run: async (args) => (await exportCommand(args, process.env, console.log), 0),
  },
};

export function subcommandHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length));
  return `Commands (against a running localtrail: --endpoint URL, LOCALTRAIL_ENDPOINT, default http://127.0.0.1:4566):\n${Object.entries(SUBCOMMANDS)
    .map(([name, c]) => `  localtrail ${name.padEnd(width)}  ${c.summary}`)
    .join("\n")}`;
}

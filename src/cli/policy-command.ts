import { control, CommandError, parseCommandArgs } from "./http.js";
import type { Subcommand } from "./commands.js";

const USAGE = `Usage: localtrail policy <principal ARN> [--since 7d] [--endpoint http://127.0.0.1:4566]

Prints the least-privilege IAM policy document of what a user or a role's sessions did, generated from the
history as IAM Access Analyzer does from CloudTrail (GET /_localtrail/policy): the actions and resources it
used, object keys widened to bucket/*, log streams to their group, generated ids to *. Attach it to a fresh
role and replay the app under --enforce-iam to check nothing is denied.

  --since WHEN   an ISO time, or a span back from the emulated now: 90m, 1h, 7d (default: the whole history)`;

export const policyCommand: Subcommand = {
  summary: "the least-privilege policy of what a user or role did (IAM policy JSON)",
  usage: USAGE,
  async run(args) {
    const a = parseCommandArgs(args, { since: { type: "string" } }, true);
    if (a.flag("help")) return void console.log(USAGE), 0;
    const principal = a.positionals[0];
    if (!principal || a.positionals.length > 1) throw new CommandError(`localtrail policy: give one principal ARN.\n\n${USAGE}`, 2);
    const query = new URLSearchParams({ principal });
    if (a.text("since")) query.set("since", a.text("since")!);
    const res = await control(a.endpoint, `/_localtrail/policy?${query}`);
    console.log(JSON.stringify(await res.json(), null, 2));
    return 0;
  },
};

import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import { callHeader, callLine } from "../terminal/call-lines.js";
import { control, parseCommandArgs } from "./http.js";
import type { Subcommand } from "./commands.js";

const USAGE = `Usage: localtrail events [--user NAME] [--event-name NAME] [--resource NAME] [--since 1h] [--limit 50]
                        [--follow] [--json] [--endpoint http://127.0.0.1:4566]

The history of a running localtrail, every account and region, imported logs included: a table, or one
CloudTrail record per line with --json. Without --since, the newest --limit calls; --follow then prints
each new call as it is recorded (like tail -f), until interrupted.

  --user NAME         the Username Event history shows (an IAM user, a role session, root)
  --event-name NAME   e.g. CreateUser
  --resource NAME     a resource the call names: name, ARN, or the ARN's last part
  --since WHEN        an ISO time, or a span back from the emulated now: 90m, 1h, 7d`;

interface EventsAnswer {
  cursor: number;
  more: boolean;
  records: CloudTrailRecord[];
}

export const eventsCommand: Subcommand = {
  summary: "show the recorded calls (--follow to tail them, --json for one record per line)",
  usage: USAGE,
  async run(args) {
    const a = parseCommandArgs(args, {
      user: { type: "string" },
      "event-name": { type: "string" },
      resource: { type: "string" },
      since: { type: "string" },
      limit: { type: "string" },
      follow: { type: "boolean", short: "f" },
      json: { type: "boolean" },
    });
    if (a.flag("help")) return void console.log(USAGE), 0;
    const filter = new URLSearchParams();
    if (a.text("user")) filter.set("user", a.text("user")!);
    if (a.text("event-name")) filter.set("eventName", a.text("event-name")!);
    if (a.text("resource")) filter.set("resource", a.text("resource")!);
    if (a.text("since")) filter.set("since", a.text("since")!);
    const get = async (extra: Record<string, string>): Promise<EventsAnswer> => {
      const query = new URLSearchParams(filter);
      for (const [k, v] of Object.entries(extra)) query.set(k, v);
      return (await (await control(a.endpoint, `/_localtrail/events?${query}`)).json()) as EventsAnswer;
    };

    const color = !a.flag("json") && process.stdout.isTTY === true && !process.env.NO_COLOR;
    let printed = 0;
    const print = (records: CloudTrailRecord[]) => {
      if (records.length === 0) return;
      if (!a.flag("json") && printed === 0) console.log(callHeader(true));
      process.stdout.write(records.map((r) => `${a.flag("json") ? JSON.stringify(r) : callLine(r, color, true)}\n`).join(""));
      printed += records.length;
    };

    let cursor: number;
    if (a.text("since")) {
      // Everything since then, in parts.
      let answer: EventsAnswer;
      cursor = -1;
      do {
        answer = await get({ after: String(cursor), limit: "5000" });
        print(answer.records);
        cursor = answer.cursor;
      } while (answer.more);
    } else {
      const limit = a.text("limit") ?? "50";
      const answer = await get({ last: limit });
      // Imports add old events late: the newest recorded are shown in the order they happened.
      print(answer.records.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime)));
      cursor = answer.cursor;
    }
    if (!a.flag("follow")) {
      if (printed === 0 && !a.flag("json")) console.error("localtrail: no recorded calls match.");
      return 0;
    }
    for (;;) {
      const answer = await get({ after: String(cursor), wait: "25", limit: "5000" });
      print(answer.records);
      cursor = answer.cursor;
    }
  },
};

/**
 * What appending a record costs the event log, in process, without HTTP: CPU µs per append of the main thread
 * (/proc/self/task/<pid>/schedstat) and of every thread, 16 concurrent appenders as under concurrent calls.
 * `npx tsx bench/event-log-append.ts [appends]`
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventLog } from "../src/event-log/event-log.js";
import { FileSegments } from "../src/event-log/segment-files.js";
import type { StoredEvent } from "../src/event-log/event-history.js";

const mainNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
const allNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const dir = mkdtempSync(join(tmpdir(), "localtrail-append-"));
const log = new EventLog(new FileSegments(dir), { retentionDays: 90, now: () => new Date(), tokenSecret: Buffer.alloc(32, 1) });
log.open();
let n = 0;
/** A GetUser record by the root user, as the recorder builds it. */
const event = (id: string): StoredEvent => ({
  record: {
    eventVersion: "1.11",
    userIdentity: { type: "Root", principalId: "000000000000", arn: "arn:aws:iam::000000000000:root", accountId: "000000000000", accessKeyId: "test" },
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "iam.amazonaws.com",
    eventName: "GetUser",
    awsRegion: "us-east-1",
    sourceIPAddress: "127.0.0.1",
    userAgent: "autocannon",
    requestParameters: { userName: "bench" },
    responseElements: null,
    requestID: id,
    eventID: id,
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "000000000000",
    eventCategory: "Management",
  },
  lookupResources: [{ type: "AWS::IAM::User", name: "bench" }],
});
const run = async (total: number) => {
  let left = total;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (left-- > 0) await log.append(event(`event-${n++}`));
  }));
};
await run(5000); // warm
const appends = Number(process.argv[2] ?? 20000);
const [main0, all0] = [mainNs(), allNs()];
await run(appends);
console.log(`main thread ${((mainNs() - main0) / 1000 / appends).toFixed(1)} µs per append, all threads ${((allNs() - all0) / 1000 / appends).toFixed(1)} µs; load average ${readFileSync("/proc/loadavg", "utf8").trim()}`);
await log.close();
rmSync(dir, { recursive: true, force: true });

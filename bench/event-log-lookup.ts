/**
 * The event log's own share of a LookupEvents, in process, without HTTP or the codec:
 * `npx tsx bench/event-log-lookup.ts <data dir>` (a data dir seeded by `bench/main-thread.ts --lookup N`).
 * Prints the time to open the history, the RSS after, and CPU µs per lookup (50 events, by Username).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventLog } from "../src/event-log/event-log.js";
import { FileSegments } from "../src/event-log/segment-files.js";

const dir = process.argv[2]!;
const rss = () => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024);
const before = rss();
let t = performance.now();
const log = new EventLog(new FileSegments(join(dir, "events")), { retentionDays: 90, now: () => new Date(), tokenSecret: Buffer.alloc(32, 1) });
log.open();
console.log(`opened ${log.size} events in ${Math.round(performance.now() - t)} ms; RSS ${before} -> ${rss()} MB`);
const query = (user: number) => ({ accountId: "000000000000", region: "us-east-1", startTime: 0, endTime: Date.now(), maxResults: 50, tokenScope: "", attribute: { key: "Username" as const, value: `user-${user}` } });
for (const [name, users] of [["one user (cached lines)", 1], ["50 users (mostly cold)", 50]] as const) {
  for (let i = 0; i < 200; i++) log.lookup(query(i % users));
  const n = 2000;
  const cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < n; i++) log.lookup(query(i % users));
  const used = process.cpuUsage(cpu);
  console.log(`lookup, ${name}: ${Math.round((used.user + used.system) / n)} µs CPU each (${Math.round(((performance.now() - t) * 1000) / n)} µs wall); RSS ${rss()} MB`);
}
await log.close();

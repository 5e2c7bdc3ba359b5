import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { clientConfig } from "../helpers/clients.js";
import { startProcess } from "../helpers/process.js";

const dir = mkdtempSync(join(tmpdir(), "localtrail-eventbridge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("EventBridge across a crash", () => {
  it("events recorded before a kill -9 reach the rules that existed before it, after the restart", async () => {
    const first = await startProcess(["--port", "0", "--data-dir", dir]);
    const events = new EventBridgeClient(clientConfig(first.url));
    const logs = new CloudWatchLogsClient(clientConfig(first.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "audit" }));
    await events.send(new PutRuleCommand({ Name: "users", EventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateUser"] } }) }));
    await events.send(new PutTargetsCommand({ Rule: "users", Targets: [{ Id: "log", Arn: "arn:aws:logs:us-east-1:000000000000:log-group:audit" }] }));

    // Calls answered before the kill: each is recorded durably before its answer.
    const iam = new IAMClient(clientConfig(first.url));
    const users = Array.from({ length: 30 }, (_, i) => `crash-${i}`);
    await Promise.all(users.map((UserName) => iam.send(new CreateUserCommand({ UserName }))));
    first.proc.kill("SIGKILL");
    await first.exited;

    const second = await startProcess(["--port", "0", "--data-dir", dir]);
    try {
      const after = new CloudWatchLogsClient(clientConfig(second.url));
      const delivered = async () => {
        const names = new Set<string>();
        let nextToken: string | undefined;
        do {
          const page = await after.send(new FilterLogEventsCommand({ logGroupName: "audit", nextToken }));
          for (const e of page.events ?? []) names.add((JSON.parse(e.message!) as { detail: { requestParameters: { userName: string } } }).detail.requestParameters.userName);
          nextToken = page.nextToken;
        } while (nextToken);
        return [...names].sort();
      };
      // At least once: every user is there (a few may have been delivered twice, before and after the kill).
      await expect.poll(delivered, { timeout: 300_000, interval: 100 }).toEqual([...users].sort());
    } finally {
      second.proc.kill("SIGTERM");
      await second.exited;
    }
  });
});

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { strToU8, zipSync } from "fflate";
import { CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { percentiles } from "./measure.js";

/** The function under the rule: it tells the bench it ran, naming the user whose creation it was told of. */
const HANDLER = `exports.handler = async (event) => { await fetch(process.env.HIT + "?user=" + encodeURIComponent(event.detail.requestParameters.userName)); };`;

/**
 * From a call's response to its EventBridge target: a rule on CreateUser invokes a Lambda function that
 * calls back into the bench; each sample is the time from CreateUser's response to the callback. The
 * first (cold) invocation is left out; calls are one at a time, each once the function is idle again.
 */
export async function eventBridgeLatency(sdk: Record<string, unknown>, samples: number): Promise<{ samples: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const waiting = new Map<string, () => void>();
  const hits = createServer((req, res) => {
    const user = new URL(req.url ?? "/", "http://x").searchParams.get("user") ?? "";
    waiting.get(user)?.();
    res.end();
  });
  await new Promise<void>((r) => hits.listen(0, "127.0.0.1", r));
  try {
    const iam = new IAMClient(sdk);
    const lambda = new LambdaClient(sdk);
    const events = new EventBridgeClient(sdk);
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: "eb-bench", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }),
    );
    const hit = `http://127.0.0.1:${(hits.address() as AddressInfo).port}/`;
    const fn = await lambda.send(
      new CreateFunctionCommand({ FunctionName: "eb-bench", Runtime: "nodejs20.x", Handler: "index.handler", Timeout: 30, Role: role.Role!.Arn, Code: { ZipFile: zipSync({ "index.js": strToU8(HANDLER) }) }, Environment: { Variables: { HIT: hit } } }),
    );
    const rule = await events.send(new PutRuleCommand({ Name: "eb-bench", EventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateUser"], requestParameters: { userName: [{ prefix: "eb-bench-" }] } } }) }));
    await events.send(new PutTargetsCommand({ Rule: "eb-bench", Targets: [{ Id: "fn", Arn: fn.FunctionArn }] }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "eb-bench", StatementId: "events", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: rule.RuleArn }));

    const times: number[] = [];
    for (let i = 0; i <= samples; i++) {
      const user = `eb-bench-${i}`;
      const arrived = new Promise<number>((resolve) => waiting.set(user, () => resolve(performance.now())));
      await iam.send(new CreateUserCommand({ UserName: user }));
      const answered = performance.now();
      const at = await arrived;
      waiting.delete(user);
      // The target can run before the client has read the answer: that counts as no delay.
      if (i > 0) times.push(Math.max(0, at - answered));
      // Let the function's environment go back to the pool, so each sample is a warm invocation.
      await new Promise((r) => setTimeout(r, 100));
    }
    return { samples, ...percentiles(times), maxMs: Math.round(Math.max(...times) * 100) / 100 };
  } finally {
    hits.close();
  }
}

import type { CallContext } from "../../../src/types/service.js";
import type { EnvironmentLogs } from "./lambda-runtime.js";
import { findLogGroup } from "../../logs/directory.js";

/**
 * Sends an invocation's log (START, the function's output, END, REPORT) to CloudWatch Logs as Lambda does:
 * group /aws/lambda/<function>, the environment's stream, one event per line. Lambda makes these calls with the
 * execution role's credentials (AWSLambdaBasicExecutionRole grants them), so they are recorded as that role's
 * session and, with enforcement on, a role without logs permissions leaves no log, as on AWS. The group and
 * the stream are created on the environment's first invocation.
 */
export async function shipInvocationLog(ctx: CallContext, functionName: string, logs: EnvironmentLogs | undefined, log: string): Promise<void> {
  if (!logs || log === "") return;
  const group = `/aws/lambda/${functionName}`;
  const as = { accessKeyId: logs.credentials.accessKeyId };
  const call = (operation: string, input: unknown) =>
    ctx.env.invoke({ service: "logs", operation, input, region: ctx.region, as, sourceIp: "lambda.amazonaws.com", userAgent: "lambda.amazonaws.com" });
  if (!logs.streamCreated) {
    if (!findLogGroup(ctx.state, ctx.accountId, ctx.region, group)) await call("CreateLogGroup", { logGroupName: group });
    const created = await call("CreateLogStream", { logGroupName: group, logStreamName: logs.stream });
    if (created.error && created.error.code !== "ResourceAlreadyExistsException") return;
    logs.streamCreated = true;
  }
  const timestamp = ctx.env.now().getTime();
  const logEvents = log
    .split(/(?<=\n)/)
    .filter((line) => line !== "")
    .map((message) => ({ timestamp, message }));
  await call("PutLogEvents", { logGroupName: group, logStreamName: logs.stream, logEvents });
}

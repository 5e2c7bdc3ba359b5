import { gzipSync } from "node:zlib";
import type { ServiceEnv } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { invalidParameter, notFound } from "./errors.js";
import { compileFilterPattern, FilterPatternError } from "./filter-pattern.js";
import type { Op } from "./op.js";
import { pageOf } from "./pagination.js";
import { findGroup, logGroupArn, type StoredLogGroup } from "./state.js";

/** A log group has at most two subscription filters (CloudWatch Logs quotas). */
const FILTERS_PER_GROUP = 2;

/**
 * Subscription filters (CloudWatch Logs User Guide, "Real-time processing of log data with subscriptions"):
 * events that match a filter's pattern go to its Lambda function, asynchronously, as
 * `{"awslogs": {"data": <base64 of gzipped JSON>}}` with messageType DATA_MESSAGE. CloudWatch Logs
 * invokes the function as logs.amazonaws.com, so the function's resource policy must allow it; AWS
 * checks that when the filter is put.
 */
export const putSubscriptionFilter: Op<"PutSubscriptionFilter"> = async (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  try {
    compileFilterPattern(input.filterPattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidParameter(`Invalid filter pattern: ${e.message}`);
    throw e;
  }
  const arn = input.destinationArn.split(":");
  if (arn[2] !== "lambda") throw invalidParameter("localtrail delivers subscription filters to Lambda functions only.");
  const filters = (group.subscriptionFilters ??= {});
  if (!Object.hasOwn(filters, input.filterName) && Object.keys(filters).length >= FILTERS_PER_GROUP) throw new AwsError("LimitExceededException", "Resource limit exceeded.");
  const check = await ctx.env.invoke({
    service: "lambda",
    operation: "Invoke",
    input: { FunctionName: input.destinationArn, InvocationType: "DryRun" },
    region: arn[3] ?? ctx.region,
    as: { service: "logs.amazonaws.com", accountId: ctx.accountId, sourceArn: `${logGroupArn(ctx.accountId, ctx.region, group.name)}:*` },
  });
  if (check.error) throw invalidParameter("Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.");
  filters[input.filterName] = {
    filterName: input.filterName,
    logGroupName: group.name,
    filterPattern: input.filterPattern,
    destinationArn: input.destinationArn,
    roleArn: input.roleArn,
    distribution: input.distribution ?? "ByLogStream",
    creationTime: ctx.now.getTime(),
  };
};

export const describeSubscriptionFilters: Op<"DescribeSubscriptionFilters"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  const filters = Object.values(group.subscriptionFilters ?? {})
    .filter((f) => input.filterNamePrefix === undefined || f.filterName!.startsWith(input.filterNamePrefix))
    .sort((a, b) => (a.filterName! < b.filterName! ? -1 : 1));
  const page = pageOf(filters, (f) => f.filterName!, input.nextToken, input.limit ?? 50);
  return { subscriptionFilters: page.items, nextToken: page.nextToken };
};

export const deleteSubscriptionFilter: Op<"DeleteSubscriptionFilter"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  if (!group.subscriptionFilters || !Object.hasOwn(group.subscriptionFilters, input.filterName)) throw notFound("The specified subscription filter does not exist.");
  delete group.subscriptionFilters[input.filterName];
};

/**
 * Sends newly stored events to the group's subscription filters, after the call that stored them; one
 * invocation per filter and batch, with the events that match its pattern.
 */
export function forwardToSubscriptions(env: ServiceEnv, accountId: string, region: string, group: StoredLogGroup, stream: string, events: { timestamp: number; message: string }[]): void {
  for (const filter of Object.values(group.subscriptionFilters ?? {})) {
    const matches = compileFilterPattern(filter.filterPattern);
    const matched = events.filter((e) => matches(e.message));
    if (matched.length === 0) continue;
    const data = {
      messageType: "DATA_MESSAGE",
      owner: accountId,
      logGroup: group.name,
      logStream: stream,
      subscriptionFilters: [filter.filterName],
      logEvents: matched.map((e) => ({ id: eventId(e.timestamp), timestamp: e.timestamp, message: e.message })),
    };
    const payload = JSON.stringify({ awslogs: { data: gzipSync(JSON.stringify(data)).toString("base64") } });
    setImmediate(() => {
      void env
        .invoke({
          service: "lambda",
          operation: "Invoke",
          input: { FunctionName: filter.destinationArn, InvocationType: "Event", Payload: Buffer.from(payload) },
          region: filter.destinationArn!.split(":")[3] ?? region,
          as: { service: "logs.amazonaws.com", accountId, sourceArn: `${logGroupArn(accountId, region, group.name)}:*` },
        })
        .then((outcome) => {
          if (outcome.error) console.error(`localtrail: logs: subscription filter ${filter.filterName} of ${group.name} could not invoke ${filter.destinationArn}: ${outcome.error.code}`);
        });
    });
  }
}

let counter = 0;

/** Event ids are 56 digits, led by the timestamp, as AWS's are. */
const eventId = (timestamp: number) => `${String(timestamp).padStart(20, "0")}${String(counter++ % 1e12).padStart(36, "0")}`;

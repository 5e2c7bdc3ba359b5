import { own, setEntry } from "../../src/state/own-entries.js";
import type { LogGroup } from "../../src/generated/types/logs.js";
import { alreadyExists, groupNotFound, invalidParameter } from "./errors.js";
import { dropEvents } from "./event-store.js";
import type { Op } from "./op.js";
import { pageOf } from "./pagination.js";
import { logGroupArn, logsState, type StoredLogGroup } from "./state.js";

// PutRetentionPolicy accepts these numbers of days only (CloudWatch Logs API Reference, PutRetentionPolicy).
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** A group as DescribeLogGroups returns it: `arn` ends in `:*`, `logGroupArn` does not; times are epoch ms. */
export function toLogGroup(group: StoredLogGroup, accountId: string, region: string): LogGroup {
  const arn = logGroupArn(accountId, region, group.name);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: 0,
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass,
    logGroupArn: arn,
  };
}

export const createLogGroup: Op<"CreateLogGroup"> = (input, ctx) => {
  const groups = logsState(ctx).groups;
  if (own(groups, input.logGroupName)) throw alreadyExists("The specified log group already exists");
  setEntry(groups, input.logGroupName, {
    name: input.logGroupName,
    creationTime: ctx.now.getTime(),
    kmsKeyId: input.kmsKeyId,
    logGroupClass: input.logGroupClass ?? "STANDARD",
    tags: { ...input.tags },
    streams: {},
  });
};

/** By name; a prefix (case-sensitive) or a pattern (a case-insensitive substring), not both. */
export const describeLogGroups: Op<"DescribeLogGroups"> = (input, ctx) => {
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  const pattern = input.logGroupNamePattern?.toLowerCase();
  const names = input.logGroupIdentifiers ? new Set(input.logGroupIdentifiers.map((id) => id.replace(/^arn:aws:logs:[^:]+:\d{12}:log-group:/, "").replace(/:\*$/, ""))) : undefined;
  const groups = Object.values(logsState(ctx).groups)
    .filter((g) => input.logGroupNamePrefix === undefined || g.name.startsWith(input.logGroupNamePrefix))
    .filter((g) => pattern === undefined || g.name.toLowerCase().includes(pattern))
    .filter((g) => names === undefined || names.has(g.name))
    .filter((g) => input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = pageOf(groups, (g) => g.name, input.nextToken, input.limit ?? 50);
  return { logGroups: page.items.map((g) => toLogGroup(g, ctx.accountId, ctx.region)), nextToken: page.nextToken };
};

export const deleteLogGroup: Op<"DeleteLogGroup"> = async (input, ctx) => {
  const groups = logsState(ctx).groups;
  const group = own(groups, input.logGroupName);
  if (!group) throw groupNotFound();
  delete groups[input.logGroupName];
  await Promise.all(Object.values(group.streams).map((s) => dropEvents(ctx.state, s)));
};

export const putRetentionPolicy: Op<"PutRetentionPolicy"> = (input, ctx) => {
  if (!RETENTION_DAYS.includes(input.retentionInDays)) {
    throw invalidParameter(
      `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  }
  const group = own(logsState(ctx).groups, input.logGroupName);
  if (!group) throw groupNotFound();
  group.retentionInDays = input.retentionInDays;
};

export const deleteRetentionPolicy: Op<"DeleteRetentionPolicy"> = (input, ctx) => {
  const group = own(logsState(ctx).groups, input.logGroupName);
  if (!group) throw groupNotFound();
  delete group.retentionInDays;
};

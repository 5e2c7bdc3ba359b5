import { own } from "../../src/state/own-entries.js";
import type { StateView } from "../../src/state/store.js";
import type { CallContext } from "../../src/types/service.js";
import type { MetricFilter, SubscriptionFilter } from "../../src/generated/types/logs.js";
import { groupNotFound, invalidParameter, streamNotFound } from "./errors.js";

export interface StoredLogStream {
  name: string;
  /** Generated; names the stream's event table, so a stream re-created under the same name starts empty. */
  id: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** Events stored so far: the next event's sequence number. */
  eventCount: number;
  uploadSequenceToken: string;
}

export interface StoredLogGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: "STANDARD" | "INFREQUENT_ACCESS" | "DELIVERY";
  tags: Record<string, string>;
  streams: Record<string, StoredLogStream>;
  /** PutSubscriptionFilter's filters, by name. */
  subscriptionFilters?: Record<string, SubscriptionFilter>;
  /** PutMetricFilter's filters, by name. */
  metricFilters?: Record<string, MetricFilter>;
}

/** One account's log groups in one region, by name. Events live in tables (event-store.ts). */
export interface LogsState {
  groups: Record<string, StoredLogGroup>;
}

export const logsStateOf = (state: StateView, accountId: string, region: string): LogsState =>
  state.get<LogsState>("logs", accountId, region, () => ({ groups: {} }));

export const logsState = (ctx: CallContext): LogsState => logsStateOf(ctx.state, ctx.accountId, ctx.region);

/** `arn:aws:logs:<region>:<account>:log-group:<name>`; DescribeLogGroups' `arn` adds `:*`. */
export const logGroupArn = (accountId: string, region: string, name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
export const logStreamArn = (accountId: string, region: string, group: string, stream: string) =>
  `${logGroupArn(accountId, region, group)}:log-stream:${stream}`;

const GROUP_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$/;

/**
 * The group a request names: logGroupName, or logGroupIdentifier (a name or an ARN, which AWS accepts with
 * or without the trailing `:*`). Exactly one of the two.
 */
export function findGroup(ctx: CallContext, input: { logGroupName?: string; logGroupIdentifier?: string }): StoredLogGroup {
  const name = groupName(input);
  const m = GROUP_ARN.exec(name);
  const group = m ? (m[2] === ctx.accountId && m[1] === ctx.region ? own(logsState(ctx).groups, m[3]!) : undefined) : own(logsState(ctx).groups, name);
  if (!group) throw groupNotFound();
  return group;
}

function groupName(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  const name = input.logGroupName ?? input.logGroupIdentifier;
  if (name === undefined) throw invalidParameter("Either LogGroupName or LogGroupIdentifier should be provided.");
  return name;
}

export function findStream(group: StoredLogGroup, name: string): StoredLogStream {
  const stream = own(group.streams, name);
  if (!stream) throw streamNotFound();
  return stream;
}


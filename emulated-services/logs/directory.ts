import { own } from "../../src/state/own-entries.js";
import type { StateView } from "../../src/state/store.js";
import type { Ids, ServiceEnv } from "../../src/types/service.js";
import { forwardToSubscriptions } from "./subscription-filters.js";
import { appendEvents } from "./event-store.js";
import { newStream, sequenceToken } from "./log-streams.js";
import { logGroupArn, logsStateOf } from "./state.js";

/**
 * What other services may ask CloudWatch Logs, so none reaches into its state: CloudTrail checks a
 * trail's log group and sends every record it selects to the group's stream. Events written here are
 * ordinary events any client can get and filter; they are not API calls and produce no record.
 */
export interface LogGroupInfo {
  name: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>:*`, the form CloudTrail is given. */
  arn: string;
  accountId: string;
  region: string;
}

/** The log group of that name in that account and region, if it exists. */
export function findLogGroup(state: StateView, accountId: string, region: string, name: string): LogGroupInfo | undefined {
  const group = own(logsStateOf(state, accountId, region).groups, name);
  return group && { name: group.name, arn: `${logGroupArn(accountId, region, group.name)}:*`, accountId, region };
}

/**
 * Appends events to a stream of a group as a service does (CloudTrail: one event per record, stream
 * `<account>_CloudTrail_<region>`), creating the stream if it is missing. Events need not be sorted
 * (they are stored in time order). Returns false when the group does not exist.
 * `at` gives the ingestion time and the ids for a new stream.
 * @example putEventsFromService(state, "000000000000", "us-east-1", "trail-group", "000000000000_CloudTrail_us-east-1", [{ timestamp: env.now().getTime(), message: json }], { ids: env.ids, now: env.now() })
 */
export function putEventsFromService(
  state: StateView,
  accountId: string,
  region: string,
  group: string,
  stream: string,
  events: { timestamp: number; message: string }[],
  at: { ids: Ids; now: Date; env?: ServiceEnv },
): boolean {
  const { ids, now } = at;
  const found = own(logsStateOf(state, accountId, region).groups, group);
  if (!found) return false;
  const target = own(found.streams, stream) ?? newStream(found, stream, ids, now);
  appendEvents(state, target, events, now.getTime());
  if (at.env) forwardToSubscriptions(at.env, accountId, region, found, stream, events);
  target.uploadSequenceToken = sequenceToken(ids);
  return true;
}

import type { UserIdentity } from "../types/cloudtrail-record.js";
import type { LookupResource } from "../types/cloudtrail-record.js";
import type { LookupAttributeKey, StoredEvent } from "./event-history.js";

/**
 * The Username LookupEvents shows: an IAM user's name, an assumed role's session name, `root` for the
 * account root (reference/cloudtrail.md §4.3); omitted for other identities.
 */
export function lookupUsername(identity: UserIdentity): string | undefined {
  switch (identity.type) {
    case "IAMUser":
      return identity.userName;
    case "AssumedRole":
      return identity.arn?.split("/").pop();
    case "Root":
      return "root";
    case "FederatedUser":
      return identity.arn?.split("/").pop();
    default:
      return identity.userName;
  }
}

/**
 * The facts of an event that Event history shows and looks up by, stored beside each record so a lookup
 * reads them without parsing the record. `partition` is account/region/category.
 */
export interface EventSummary {
  id: string;
  name: string;
  time: string;
  source: string;
  readOnly: boolean;
  user?: string;
  key?: string;
  partition: string;
}

export function summarize(event: StoredEvent): EventSummary {
  const r = event.record;
  return {
    id: r.eventID,
    // An Insights event is found by the API it analysed.
    name: r.insightDetails?.eventName ?? r.eventName,
    time: r.eventTime,
    source: r.insightDetails?.eventSource ?? r.eventSource,
    readOnly: r.readOnly,
    user: lookupUsername(r.userIdentity ?? {}),
    key: r.userIdentity?.accessKeyId || undefined,
    partition: `${r.recipientAccountId}/${r.awsRegion}/${r.eventCategory}`,
  };
}

/** Every (attribute, value) pair an event can be found by. */
export function lookupAttributes(summary: EventSummary, resources: LookupResource[]): [LookupAttributeKey, string][] {
  const pairs: [LookupAttributeKey, string][] = [
    ["EventId", summary.id],
    ["EventName", summary.name],
    ["ReadOnly", String(summary.readOnly)],
    ["EventSource", summary.source],
  ];
  if (summary.user) pairs.push(["Username", summary.user]);
  if (summary.key) pairs.push(["AccessKeyId", summary.key]);
  for (const resource of resources) {
    pairs.push(["ResourceType", resource.type]);
    pairs.push(["ResourceName", resource.name]);
  }
  return pairs;
}

/** Whether an event is found by (key, value): lookupAttributes(...).some(...) without building the pairs. */
export function hasLookupAttribute(summary: EventSummary, resources: LookupResource[], key: LookupAttributeKey, value: string): boolean {
  switch (key) {
    case "EventId":
      return summary.id === value;
    case "EventName":
      return summary.name === value;
    case "ReadOnly":
      return String(summary.readOnly) === value;
    case "EventSource":
      return summary.source === value;
    case "Username":
      return !!summary.user && summary.user === value;
    case "AccessKeyId":
      return !!summary.key && summary.key === value;
    case "ResourceType":
      return resources.some((r) => r.type === value);
    case "ResourceName":
      return resources.some((r) => r.name === value);
  }
}

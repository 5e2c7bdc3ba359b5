import type { UserIdentity } from "../types/cloudtrail-record.js";
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

/** Every (attribute, value) pair an event can be found by. */
export function lookupAttributes(event: StoredEvent): [LookupAttributeKey, string][] {
  const r = event.record;
  const pairs: [LookupAttributeKey, string][] = [
    ["EventId", r.eventID],
    ["EventName", r.eventName],
    ["ReadOnly", String(r.readOnly)],
    ["EventSource", r.eventSource],
  ];
  const username = lookupUsername(r.userIdentity);
  if (username) pairs.push(["Username", username]);
  if (r.userIdentity.accessKeyId) pairs.push(["AccessKeyId", r.userIdentity.accessKeyId]);
  for (const resource of event.lookupResources) {
    pairs.push(["ResourceType", resource.type]);
    pairs.push(["ResourceName", resource.name]);
  }
  return pairs;
}

import type { CloudTrailRecord } from "../../../src/types/cloudtrail-record.js";
import type { Ids } from "../../../src/types/service.js";
import { eventTime, type Publication } from "./bus-event.js";

// Events larger than this are not delivered (reference/cloudtrail.md §10).
const MAX_EVENT_BYTES = 256 * 1024;

const DETAIL_TYPES: Record<string, string> = {
  AwsApiCall: "AWS API Call via CloudTrail",
  AwsConsoleSignIn: "AWS Console Sign In via CloudTrail",
  AwsConsoleAction: "AWS Console Action via CloudTrail",
  AwsServiceEvent: "AWS Service Event via CloudTrail",
};

/**
 * The event CloudTrail puts on the default bus of the record's account and region for a record
 * (reference/cloudtrail.md §10): `aws.<service>` as source, the whole record as detail. Management events
 * always (read-only ones only for rules that ask for them), data events only when a trail logs them,
 * nothing over 256 KB; Insights events do not go through this path.
 */
export function cloudTrailPublication(record: CloudTrailRecord, ids: Ids, loggedByTrail: () => boolean): Publication | undefined {
  const detailType = DETAIL_TYPES[record.eventType];
  if (!detailType || record.eventCategory === "Insight") return undefined;
  if (record.eventCategory === "Data" && !loggedByTrail()) return undefined;
  const event = {
    version: "0" as const,
    id: ids.uuid(),
    "detail-type": detailType,
    source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, "")}`,
    account: record.recipientAccountId,
    time: eventTime(new Date(record.eventTime)),
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) return undefined;
  return { accountId: record.recipientAccountId, region: record.awsRegion, bus: "default", event, readOnlyCloudTrail: record.eventCategory === "Management" && record.readOnly };
}

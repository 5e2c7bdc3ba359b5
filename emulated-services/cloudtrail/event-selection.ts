import type { AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector } from "../../src/generated/types/cloudtrail.js";
import type { CloudTrailRecord, RecordResource } from "../../src/types/cloudtrail-record.js";
import type { StoredTrail } from "./trails-state.js";

/**
 * Which records a trail selects (reference/cloudtrail.md §3.4). Pure: trail delivery calls it for every
 * record, against every trail of the record's account.
 */
export type SelectingTrail = Pick<
  StoredTrail,
  "accountId" | "homeRegion" | "isLogging" | "isMultiRegionTrail" | "includeGlobalServiceEvents" | "eventSelectors" | "advancedEventSelectors" | "insightSelectors"
>;

// Services whose events are recorded in us-east-1 whatever region was called ("global service events"),
// which IncludeGlobalServiceEvents governs.
const GLOBAL_SERVICE_SOURCES = new Set([
  "iam.amazonaws.com",
  "sts.amazonaws.com",
  "cloudfront.amazonaws.com",
  "route53.amazonaws.com",
  "waf.amazonaws.com",
  "organizations.amazonaws.com",
  "signin.amazonaws.com",
]);

/**
 * True when the trail logs the record: the trail is logging, the record is its account's, from its home
 * region (any region for a multi-region trail), a global service event only if the trail includes them,
 * and some selector (basic or advanced) matches it. Insights events go to trails with Insights enabled.
 */
export function trailSelects(trail: SelectingTrail, record: CloudTrailRecord): boolean {
  if (!trail.isLogging || record.recipientAccountId !== trail.accountId) return false;
  if (!trail.isMultiRegionTrail && record.awsRegion !== trail.homeRegion) return false;
  if (!trail.includeGlobalServiceEvents && GLOBAL_SERVICE_SOURCES.has(record.eventSource)) return false;
  if (record.eventCategory === "Insight") return trail.insightSelectors.some((s) => s.InsightType === record.insightDetails?.insightType);
  if (trail.advancedEventSelectors) return trail.advancedEventSelectors.some((s) => advancedMatches(s, record));
  return (trail.eventSelectors ?? []).some((s) => basicMatches(s, record));
}

/** Whether the trail logs management events of a kind: "WriteOnly" needs write ones, "All" read or write. */
export function logsManagementEvents(trail: Pick<StoredTrail, "eventSelectors" | "advancedEventSelectors">, kind: "WriteOnly" | "All"): boolean {
  if (trail.advancedEventSelectors) {
    return trail.advancedEventSelectors.some((s) => {
      const category = s.FieldSelectors.find((f) => f.Field === "eventCategory");
      if (!category?.Equals?.includes("Management")) return false;
      const readOnly = s.FieldSelectors.find((f) => f.Field === "readOnly")?.Equals;
      return kind === "All" || !readOnly || readOnly.includes("false");
    });
  }
  return (trail.eventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false && (kind === "All" || s.ReadWriteType !== "ReadOnly"));
}

/** Whether the trail logs data events of some kind (a basic selector's DataResources or an advanced Data selector). */
export function logsDataEvents(trail: Pick<StoredTrail, "eventSelectors" | "advancedEventSelectors">): boolean {
  if (trail.advancedEventSelectors) return trail.advancedEventSelectors.some((s) => s.FieldSelectors.some((f) => f.Field === "eventCategory" && f.Equals?.includes("Data")));
  return (trail.eventSelectors ?? []).some((s) => (s.DataResources ?? []).length > 0);
}

function readWriteMatches(type: EventSelector["ReadWriteType"], readOnly: boolean): boolean {
  return type === "ReadOnly" ? readOnly : type === "WriteOnly" ? !readOnly : true;
}

function basicMatches(selector: EventSelector, record: CloudTrailRecord): boolean {
  if (!readWriteMatches(selector.ReadWriteType, record.readOnly)) return false;
  if (record.eventCategory === "Management") {
    return selector.IncludeManagementEvents !== false && !(selector.ExcludeManagementEventSources ?? []).includes(record.eventSource);
  }
  if (record.eventCategory !== "Data") return false;
  return (selector.DataResources ?? []).some((d) => (record.resources ?? []).some((r) => dataResourceMatches(d, r)));
}

/**
 * A DataResources value names every resource of its service (`arn:aws:s3`, `arn:aws:lambda`, ...), an S3
 * bucket or key prefix (`arn:aws:s3:::bucket/` or `arn:aws:s3:::bucket/prefix`), or one function or table
 * by its ARN.
 */
function dataResourceMatches(resource: DataResource, r: RecordResource): boolean {
  const arn = resourceArn(r);
  if (resource.Type !== r.type || arn === undefined) return false;
  return (resource.Values ?? []).some((v) => {
    if (/^arn:[^:]+:[^:]+(:::?)?$/.test(v)) return arn.startsWith(v.replace(/:+$/, ""));
    return r.type === "AWS::S3::Object" ? arn.startsWith(v) : arn === v;
  });
}

/** A resource's ARN, or the ARN prefix that S3 listings record instead. */
const resourceArn = (r: RecordResource) => r.ARN ?? r.ARNPrefix;

function advancedMatches(selector: AdvancedEventSelector, record: CloudTrailRecord): boolean {
  const typeSelector = selector.FieldSelectors.find((f) => f.Field === "resources.type");
  // resources.ARN applies to the resources of the selected type (an S3 object event also names its bucket).
  const resources = (record.resources ?? []).filter((r) => !typeSelector?.Equals || typeSelector.Equals.includes(r.type));
  return selector.FieldSelectors.every((f) => {
    switch (f.Field) {
      case "resources.type":
        return (record.resources ?? []).some((r) => fieldMatches(f, r.type));
      case "resources.ARN":
        return resources.some((r) => fieldMatches(f, resourceArn(r)));
      default:
        return fieldMatches(f, fieldValue(record, f.Field));
    }
  });
}

function fieldValue(record: CloudTrailRecord, field: string): string | undefined {
  switch (field) {
    case "readOnly":
      return String(record.readOnly);
    case "userIdentity.arn":
      return record.userIdentity.arn;
    default: {
      const value = (record as unknown as Record<string, unknown>)[field];
      return value === undefined || value === null ? undefined : String(value);
    }
  }
}

/** Any positive operator value matches (when there are positive operators) and no negative one does. */
function fieldMatches(f: AdvancedFieldSelector, value: string | undefined): boolean {
  const positive = [
    ...(f.Equals ?? []).map((v) => (x: string) => x === v),
    ...(f.StartsWith ?? []).map((v) => (x: string) => x.startsWith(v)),
    ...(f.EndsWith ?? []).map((v) => (x: string) => x.endsWith(v)),
  ];
  const negative = [
    ...(f.NotEquals ?? []).map((v) => (x: string) => x === v),
    ...(f.NotStartsWith ?? []).map((v) => (x: string) => x.startsWith(v)),
    ...(f.NotEndsWith ?? []).map((v) => (x: string) => x.endsWith(v)),
  ];
  if (value === undefined) return positive.length === 0;
  return (positive.length === 0 || positive.some((p) => p(value))) && !negative.some((n) => n(value));
}

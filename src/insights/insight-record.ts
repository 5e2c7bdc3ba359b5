import type { CloudTrailRecord, InsightRecord } from "../types/cloudtrail-record.js";
import type { Attribution, InsightDetails, InsightType } from "../types/insights.js";
import { topValues, type AttributeCounts } from "./minute-series.js";

/** What an Insights event is about: one API (and for error rates one error code) in one account and region. */
export interface InsightSubject {
  accountId: string;
  region: string;
  insightType: InsightType;
  eventSource: string;
  eventName: string;
  /** ApiErrorRateInsight only. */
  errorCode?: string;
}

export interface InsightFacts {
  subject: InsightSubject;
  state: "Start" | "End";
  eventId: string;
  sharedEventId: string;
  /** Minute-aligned: the anomaly's first minute (Start) or the minute after its last (End). */
  eventTime: Date;
  baseline: { average: number; by: AttributeCounts; minutes: number };
  /** Over the anomaly's first minute (Start) or its whole duration (End). */
  insight: { count: number; by: AttributeCounts; minutes: number };
  /** Minutes from the anomaly's start to its end (so far, for a Start). */
  insightDuration: number;
}

/**
 * An Insights event record (reference/cloudtrail.md §9), pure. Attributions break both rates down by user
 * identity ARN, user agent and, for call rates, error code (`"null"` for calls that succeeded); an error
 * rate names its error code in insightDetails instead.
 */
export function buildInsightRecord(f: InsightFacts): InsightRecord {
  const { subject } = f;
  const names: Attribution["attribute"][] = subject.insightType === "ApiCallRateInsight" ? ["userIdentityArn", "userAgent", "errorCode"] : ["userIdentityArn", "userAgent"];
  const details: InsightDetails = {
    state: f.state,
    eventSource: subject.eventSource,
    eventName: subject.eventName,
    insightType: subject.insightType,
    ...(subject.errorCode !== undefined && { errorCode: subject.errorCode }),
    insightContext: {
      statistics: {
        baseline: { average: f.baseline.average },
        insight: { average: f.insight.count / f.insight.minutes },
        insightDuration: f.insightDuration,
        baselineDuration: f.baseline.minutes,
      },
      attributions: names.map((attribute) => ({
        attribute,
        insight: topValues(f.insight.by[attribute], f.insight.minutes),
        baseline: topValues(f.baseline.by[attribute], f.baseline.minutes),
      })),
    },
  };
  return {
    eventVersion: "1.07",
    eventTime: f.eventTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    awsRegion: subject.region,
    eventID: f.eventId,
    eventType: "AwsCloudTrailInsight",
    recipientAccountId: subject.accountId,
    sharedEventID: f.sharedEventId,
    insightDetails: details,
    eventCategory: "Insight",
  };
}

/**
 * The history keeps every record under one type; an Insights record lacks a call's fields, and every reader
 * of the history looks at eventCategory before it reads them.
 */
export const asHistoryRecord = (record: InsightRecord): CloudTrailRecord => record as unknown as CloudTrailRecord;

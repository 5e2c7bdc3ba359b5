/** The two kinds of CloudTrail Insights (reference/cloudtrail.md §9). */
export type InsightType = "ApiCallRateInsight" | "ApiErrorRateInsight";

/**
 * Where Insights are on: CloudTrail knows (a logging trail with Insights selectors covers the account's
 * region), the engine asks. Wired in app.ts from the service that declares it.
 */
export interface InsightsScope {
  /** The Insights types some logging trail enables for the account's events of this region. */
  enabledTypes(accountId: string, region: string): ReadonlySet<InsightType>;
}

/** One value of an attribution and its average per minute. */
export interface AttributionValue {
  value: string;
  average: number;
}

export interface Attribution {
  attribute: "userIdentityArn" | "userAgent" | "errorCode";
  insight: AttributionValue[];
  baseline: AttributionValue[];
}

/** `insightDetails` of an Insights event, field for field as AWS writes it (reference/cloudtrail.md §9). */
export interface InsightDetails {
  state: "Start" | "End";
  eventSource: string;
  eventName: string;
  insightType: InsightType;
  /** ApiErrorRateInsight only: the error whose rate was unusual. */
  errorCode?: string;
  insightContext: {
    statistics: {
      baseline: { average: number };
      insight: { average: number };
      insightDuration: number;
      baselineDuration: number;
    };
    attributions: Attribution[];
  };
}

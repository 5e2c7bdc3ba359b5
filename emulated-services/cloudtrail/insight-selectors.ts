import type { InsightSelector } from "../../src/generated/types/cloudtrail.js";
import { cloudTrailError } from "./errors.js";
import { logsDataEvents, logsManagementEvents } from "./event-selection.js";
import { findTrail } from "./trail-names.js";
import type { Op } from "./op.js";

const invalid = (message: string) => cloudTrailError("InvalidInsightSelectorsException", message);

/**
 * Replaces the trail's Insights selectors; an empty list turns Insights off. On management events (the
 * default category) ApiCallRateInsight needs the trail to log write management events, ApiErrorRateInsight
 * read or write ones; on data events both need the trail to log data events (§5.4, PutInsightSelectors).
 */
export const putInsightSelectors: Op<"PutInsightSelectors"> = (input, ctx) => {
  if (input.TrailName === undefined) throw cloudTrailError("InvalidParameterCombinationException", "You must specify a TrailName or an EventDataStore.");
  const trail = findTrail(ctx, input.TrailName, { homeRegionOnly: true, notFoundAsArn: true });
  const selectors: InsightSelector[] = [];
  for (const s of input.InsightSelectors) {
    if (s.InsightType !== "ApiCallRateInsight" && s.InsightType !== "ApiErrorRateInsight") throw invalid(`Insight type ${String(s.InsightType)} is not valid.`);
    const categories = s.EventCategories ?? ["Management"];
    for (const c of categories) if (c !== "Management" && c !== "Data") throw invalid(`Event category ${String(c)} is not valid. Valid values are Management and Data.`);
    const needs = s.InsightType === "ApiCallRateInsight" ? "WriteOnly" : "All";
    if (categories.includes("Data") && !logsDataEvents(trail)) throw invalid(`The trail ${trail.arn} must log data events to enable ${s.InsightType} on data events.`);
    if (categories.includes("Management") && !logsManagementEvents(trail, needs)) {
      throw invalid(`The trail ${trail.arn} must log ${needs === "WriteOnly" ? "write" : "read or write"} management events to enable ${s.InsightType}.`);
    }
    selectors.push(s.EventCategories === undefined ? { InsightType: s.InsightType } : { InsightType: s.InsightType, EventCategories: s.EventCategories });
  }
  trail.insightSelectors = selectors;
  return { TrailARN: trail.arn, InsightSelectors: selectors };
};

export const getInsightSelectors: Op<"GetInsightSelectors"> = (input, ctx) => {
  if (input.TrailName === undefined) throw cloudTrailError("InvalidParameterCombinationException", "You must specify a TrailName or an EventDataStore.");
  const trail = findTrail(ctx, input.TrailName, { notFoundAsArn: true });
  if (trail.insightSelectors.length === 0) {
    throw cloudTrailError("InsightNotEnabledException", `Trail ${trail.arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`);
  }
  return { TrailARN: trail.arn, InsightSelectors: trail.insightSelectors };
};

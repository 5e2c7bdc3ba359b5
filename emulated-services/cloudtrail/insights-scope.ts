import { GLOBAL_REGION, type StateStore } from "../../src/state/store.js";
import type { InsightsScope, InsightType } from "../../src/types/insights.js";
import type { TrailsState } from "./trails-state.js";

/**
 * Where Insights are on (reference/cloudtrail.md §9): an account's region is analysed for a type of Insights
 * when one of its trails that logs there (its home region, or every region for a multi-region trail) is
 * logging and has an Insights selector of that type on management events.
 */
export function insightsScope(store: StateStore): InsightsScope {
  return {
    enabledTypes(accountId, region) {
      const types = new Set<InsightType>();
      // Read without creating: an account without trails has no CloudTrail state, and keeps none.
      const state = [...store.all<TrailsState>("cloudtrail")].find((d) => d.accountId === accountId && d.region === GLOBAL_REGION)?.value;
      for (const trail of Object.values(state?.trails ?? {})) {
        if (!trail.isLogging || (!trail.isMultiRegionTrail && trail.homeRegion !== region)) continue;
        for (const s of trail.insightSelectors) {
          if (!s.EventCategories || s.EventCategories.includes("Management")) types.add(s.InsightType as InsightType);
        }
      }
      return types;
    },
  };
}

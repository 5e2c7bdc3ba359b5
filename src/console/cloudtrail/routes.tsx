import type { Hono } from "hono";
import type { ConsoleEnv } from "../context.js";
import { href } from "../layout.js";
import { addEventHistoryRoutes } from "./event-history-routes.js";
import { addInsightsRoutes } from "./insights.js";
import { addLakeQueryRoutes } from "./lake-query.js";
import { addTrailRoutes } from "./trails.js";

/** The CloudTrail console's pages: Event history, Insights, Trails, Lake's query editor. */
export function addCloudTrailRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("cloudtrail"), (c) => c.redirect(href("cloudtrail/events"), 302));
  addEventHistoryRoutes(app);
  addInsightsRoutes(app);
  addTrailRoutes(app);
  addLakeQueryRoutes(app);
}

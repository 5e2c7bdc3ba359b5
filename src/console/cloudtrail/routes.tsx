import type { Hono } from "hono";
import type { ConsoleEnv } from "../context.js";

/** The CloudTrail console's pages (Event history, trails, Insights); built in their own change. */
export function addCloudTrailRoutes(_app: Hono<ConsoleEnv>): void {}

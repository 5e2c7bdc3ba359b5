import type { Hono } from "hono";
import type { ConsoleEnv } from "../context.js";
import { addUserRoutes } from "./users.js";
import { addRoleRoutes } from "./roles.js";

/** The IAM console's pages: users (list, detail, create, delete) and roles. */
export function addIamRoutes(app: Hono<ConsoleEnv>): void {
  addUserRoutes(app);
  addRoleRoutes(app);
}

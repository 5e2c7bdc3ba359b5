import type { Env, Hono } from "hono";
import { SqlError, type QueryPage } from "../query/sql-engine.js";

/**
 * POST /_localtrail/query {"sql": "...", "nextToken": "..."}: SQL over the whole history, live and imported,
 * as Athena's `cloudtrail_logs` table (src/query/). Answers {"columns", "rows", "nextToken"}; a query the
 * engine refuses is a 400 carrying the engine's own message.
 */
export function addQueryRoute<E extends Env>(app: Hono<E>, target: { query(sql: string, nextToken?: string): Promise<QueryPage> }): void {
  app.post("/_localtrail/query", async (c) => {
    let body: { sql?: unknown; nextToken?: unknown };
    try {
      body = ((await c.req.json()) ?? {}) as typeof body;
    } catch {
      return c.json({ error: 'Expected a JSON body: {"sql": "SELECT ..."}.' }, 400);
    }
    if (typeof body.sql !== "string" && typeof body.nextToken !== "string") return c.json({ error: 'Give "sql" (a SELECT over cloudtrail_logs) or a "nextToken".' }, 400);
    if (body.nextToken !== undefined && typeof body.nextToken !== "string") return c.json({ error: '"nextToken" must be a string.' }, 400);
    try {
      const page = await target.query(typeof body.sql === "string" ? body.sql : "", body.nextToken as string | undefined);
      return c.json({ columns: page.columns, rows: page.rows, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
    } catch (e) {
      if (e instanceof SqlError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });
}

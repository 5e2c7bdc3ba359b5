import { parseArgs } from "node:util";
import { CommandError, endpointOf } from "./http.js";

export const QUERY_HELP = `Usage: localtrail query [--endpoint <url>] [--format table|csv|json] "<SQL>"

Runs SQL over the whole history of a running localtrail (live and imported) and prints every row.
The table is Athena's cloudtrail_logs (AWS's documented columns: useridentity.arn, eventname, eventtime, ...).

  --endpoint <url>     the emulator            LOCALTRAIL_ENDPOINT  (default http://127.0.0.1:4566)
  --format <f>         table, csv or json                           (default table)`;

interface Page {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  nextToken?: string;
  error?: string;
}

/** `localtrail query "<SQL>"`: POST /_localtrail/query, every page, printed as a table, CSV or JSON. */
export async function queryCommand(argv: string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { endpoint: { type: "string" }, format: { type: "string", default: "table" }, help: { type: "boolean", short: "h" } } });
  if (values.help) return out(QUERY_HELP);
  const format = values.format!;
  if (!["table", "csv", "json"].includes(format)) throw new CommandError(`--format: expected table, csv or json, got ${format}`);
  const sql = positionals.join(" ").trim();
  if (!sql) throw new CommandError(`give the SQL to run\n\n${QUERY_HELP}`);
  const url = `${endpointOf(values.endpoint, env)}/_localtrail/query`;
  const rows: unknown[][] = [];
  let columns: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(nextToken ? { nextToken } : { sql }) });
    const page = (await res.json()) as Page;
    if (!res.ok) throw new CommandError(page.error ?? `HTTP ${res.status}`);
    columns = page.columns.map((c) => c.name);
    rows.push(...page.rows);
    nextToken = page.nextToken;
  } while (nextToken);
  out(format === "json" ? toJson(columns, rows) : format === "csv" ? toCsv(columns, rows) : toTable(columns, rows));
}

const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

function toJson(columns: string[], rows: unknown[][]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))), null, 2);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function toCsv(columns: string[], rows: unknown[][]): string {
  const field = (v: unknown) => {
    const t = text(v);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\n");
}

function toTable(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => columns.map((_, i) => text(row[i]).replace(/\s+/g, " ")));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join(" | ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  return [line(columns), rule, ...cells.map(line), `(${rows.length} row${rows.length === 1 ? "" : "s"})`].join("\n");
}

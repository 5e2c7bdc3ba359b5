/**
 * Athena and CloudTrail Lake speak Trino's SQL; the engine is DuckDB. Most of what investigators write is
 * the same in both. The rest is bridged here: Trino's functions that DuckDB lacks (or names otherwise) as
 * DuckDB macros, and the few things a macro cannot reach (the clock's keywords) by rewriting the query text
 * outside its string literals and quoted identifiers.
 */

/** MySQL-style format (Trino's date_parse and date_format) to strftime's. */
const MYSQL_FORMAT: Record<string, string> = {
  "%M": "%B",
  "%W": "%A",
  "%i": "%M",
  "%s": "%S",
  "%T": "%H:%M:%S",
  "%e": "%-d",
  "%c": "%-m",
  "%h": "%I",
  "%k": "%-H",
  "%l": "%-I",
  "%r": "%I:%M:%S %p",
};
export const strftimeFormat = (mysql: string) => mysql.replace(/%./g, (spec) => MYSQL_FORMAT[spec] ?? spec);

const UNITS = ["millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"];
const intervalOf = (unit: string, n: string) => {
  const [fn, factor] = unit === "quarter" ? ["to_months", "3 * "] : unit === "millisecond" ? ["to_milliseconds", ""] : [`to_${unit}s`, ""];
  return `${fn}(CAST(${factor}${n} AS BIGINT))`;
};

/** Macros, created once per engine. Built-in names (date_add) keep their DuckDB forms as overloads. */
export const TRINO_MACROS: string[] = [
  // Trino: the scalar at the path, NULL for an object or array (DuckDB's own would return their JSON).
  `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(CAST(j AS JSON), p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(CAST(j AS JSON), p) END`,
  `CREATE MACRO json_parse(s) AS CAST(s AS JSON)`,
  `CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
  `CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE MACRO from_iso8601_date(s) AS CAST(s AS DATE)`,
  `CREATE MACRO to_iso8601(t) AS strftime(CAST(t AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  `CREATE MACRO from_unixtime(n) AS to_timestamp(n)`,
  `CREATE MACRO to_unixtime(t) AS epoch(t)`,
  // Their format literals are rewritten to strftime's (formatLiterals): DuckDB wants a constant format.
  `CREATE MACRO date_parse(s, f) AS strptime(s, f)`,
  `CREATE MACRO date_format(t, f) AS strftime(t, f)`,
  `CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE MACRO array_join(a, sep) AS array_to_string(a, sep)`,
  // Trino's date_add(unit, value, timestamp) beside DuckDB's date_add(date, interval).
  `CREATE OR REPLACE MACRO date_add(d, i) AS d + i, (unit, n, t) AS CASE lower(unit) ${UNITS.map((u) => `WHEN '${u}' THEN t + ${intervalOf(u, "n")}`).join(" ")} END`,
  // Trino's element_at(map, key) is the value (DuckDB's own answers a list); element_at(array, i) the element.
  `CREATE OR REPLACE MACRO element_at(c, k) AS c[k]`,
  // The emulated clock, not the machine's: set per query (see rewriteTrino).
  `CREATE MACRO localtrail_now() AS getvariable('localtrail_now')`,
];

/** The clock's keywords and functions: a query sees emulated time, as every record does. */
const CLOCK: [RegExp, string][] = [
  [/\bcurrent_timestamp\b(?!\s*\()/gi, "localtrail_now()"],
  [/\blocaltimestamp\b(?!\s*\()/gi, "CAST(localtrail_now() AS TIMESTAMP)"],
  [/\bcurrent_date\b(?!\s*\()/gi, "CAST(localtrail_now() AS DATE)"],
  [/\bnow\s*\(\s*\)/gi, "localtrail_now()"],
];

/** Splits SQL into code and the parts a rewrite must not touch: string literals, quoted identifiers, comments. */
export function sqlSegments(sql: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  let i = 0;
  let start = 0;
  const push = (code: boolean, end: number) => {
    if (end > start) out.push({ code, text: sql.slice(start, end) });
    start = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      push(true, i);
      let k = i + 1;
      for (;;) {
        if (k >= sql.length) break;
        if (sql[k] === c) {
          if (sql[k + 1] === c) k += 2;
          else break;
        } else k++;
      }
      i = Math.min(k + 1, sql.length);
      push(false, i);
    } else if (c === "-" && sql[i + 1] === "-") {
      push(true, i);
      const nl = sql.indexOf("\n", i);
      i = nl === -1 ? sql.length : nl;
      push(false, i);
    } else if (c === "/" && sql[i + 1] === "*") {
      push(true, i);
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
      push(false, i);
    } else i++;
  }
  push(true, sql.length);
  return out;
}

/** Applies replacements to the code of a query only. */
export function rewriteCode(sql: string, replacements: [RegExp, string | ((match: string, ...groups: string[]) => string)][]): string {
  return sqlSegments(sql)
    .map((seg) => (seg.code ? replacements.reduce((text, [re, to]) => text.replace(re, to as string), seg.text) : seg.text))
    .join("");
}

/**
 * The format literal of each date_parse(s, '...') and date_format(t, '...') in MySQL's notation, turned
 * into strftime's: the second argument, at the call's own depth.
 */
function formatLiterals(segments: { code: boolean; text: string }[]): { code: boolean; text: string }[] {
  const calls: { depth: number; args: number; formats: boolean }[] = [];
  let depth = 0;
  return segments.map((seg) => {
    if (!seg.code) {
      const call = calls[calls.length - 1];
      if (call?.formats && call.depth === depth && call.args === 1 && seg.text.startsWith("'")) return { code: false, text: strftimeFormat(seg.text) };
      return seg;
    }
    const re = /\b(date_parse|date_format)\s*\(|[(),]/gi;
    for (let m = re.exec(seg.text); m; m = re.exec(seg.text)) {
      if (m[1]) calls.push({ depth: ++depth, args: 0, formats: true });
      else if (m[0] === "(") calls.push({ depth: ++depth, args: 0, formats: false });
      else if (m[0] === ")") {
        calls.pop();
        depth--;
      } else {
        const call = calls[calls.length - 1];
        if (call && call.depth === depth) call.args++;
      }
    }
    return seg;
  });
}

/** A Trino query as DuckDB runs it. */
export function rewriteTrino(sql: string): string {
  return formatLiterals(sqlSegments(rewriteCode(sql, CLOCK)))
    .map((s) => s.text)
    .join("");
}

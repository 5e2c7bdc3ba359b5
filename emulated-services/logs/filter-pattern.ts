/**
 * CloudWatch Logs filter patterns (User Guide, "Filter pattern syntax for metric filters, subscription
 * filters, filter log events, and Live Tail"), compiled once and used by every reader of patterns:
 * FilterLogEvents, subscription filters, metric filters and TestMetricFilter. Pure; throws
 * FilterPatternError for a pattern it cannot read.
 *
 * - Terms: `ERROR` (the message contains it, case-sensitive), `"two words"`, `ERROR Exception` (all),
 *   `?ERROR ?WARN` (any), `-DEBUG` (none); an empty pattern matches every event.
 * - JSON: `{ $.eventName = "CreateUser" }` on messages that are JSON objects: `=`, `!=` (strings with `*`
 *   wildcards, numbers, bare words), `<`, `<=`, `>`, `>=` (numbers), `IS TRUE`, `IS FALSE`, `IS NULL`,
 *   `NOT EXISTS`, combined with `&&`, `||` and parentheses; paths like `$.a.b[0].c`.
 * - Space-delimited: `[ip, user, username, timestamp, request, status_code = 4*, bytes > 1000]` on messages
 *   whose fields are separated by spaces (a field in `"..."` or `[...]` is one field, without them); `...`
 *   stands for any number of fields; a field's conditions use the JSON comparisons, joined by `&&`/`||`.
 *   A match extracts each named field as `$name` (TestMetricFilter's extractedValues).
 * - Not supported (refused as invalid): regular expressions (`%...%`).
 */
export class FilterPatternError extends Error {}

export type MessagePredicate = (message: string) => boolean;

/** What a matching message yields: the fields a space-delimited pattern names (`$name`), else nothing. */
export type Extracted = Record<string, string>;

/** A compiled pattern: the extracted values when the message matches, undefined when it does not. */
export type MessageMatcher = (message: string) => Extracted | undefined;

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const matcher = compileFilterMatcher(pattern);
  return (message) => matcher(message) !== undefined;
}

export function compileFilterMatcher(pattern: string | undefined): MessageMatcher {
  const text = (pattern ?? "").trim();
  if (text === "") return () => ({});
  if (/(^|[\s=])%/.test(text)) throw new FilterPatternError("Regular expression filter patterns are not supported by localtrail.");
  if (text.startsWith("{")) return asMatcher(jsonPattern(text));
  if (text.startsWith("[")) return spaceDelimitedPattern(text);
  return asMatcher(termPattern(text));
}

const asMatcher = (predicate: MessagePredicate): MessageMatcher => (message) => (predicate(message) ? {} : undefined);

function termPattern(text: string): MessagePredicate {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const m of text.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
    (m[1] === "?" ? any : m[1] === "-" ? none : all).push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) && (any.length === 0 || any.some((t) => message.includes(t))) && !none.some((t) => message.includes(t));
}

// ---- space-delimited patterns ----

type Condition = { or: Condition[] } | { and: Condition[] } | { field: string; test: (v: unknown, present: boolean) => boolean };
type Column = { ellipsis: true } | { name: string; condition?: Condition };

function spaceDelimitedPattern(text: string): MessageMatcher {
  if (!text.endsWith("]")) throw new FilterPatternError("Invalid character(s) in term");
  // Ellipses side by side match what one does.
  const columns: Column[] = splitColumns(text.slice(1, -1))
    .map(parseColumn)
    .filter((col, i, all) => !("ellipsis" in col && i > 0 && "ellipsis" in all[i - 1]!));
  if (columns.length === 0) throw new FilterPatternError("Empty space-delimited filter pattern");
  return (message) => {
    const fields = splitFields(message);
    const bound = bind(columns, 0, fields, 0, {}, new Set());
    if (!bound) return undefined;
    const extracted: Extracted = {};
    for (const [name, value] of Object.entries(bound)) extracted[`$${name}`] = value;
    return extracted;
  };
}

/**
 * Assigns fields to columns left to right; an ellipsis takes as many fields as lets the rest match. Whether
 * columns c.. can match fields f.. does not depend on what came before, so a failure is remembered and
 * several ellipses cost polynomial time, not exponential.
 */
function bind(columns: Column[], c: number, fields: string[], f: number, bound: Record<string, string>, failed: Set<number>): Record<string, string> | undefined {
  if (c === columns.length) return f === fields.length ? bound : undefined;
  const memo = c * (fields.length + 1) + f;
  if (failed.has(memo)) return undefined;
  const column = columns[c]!;
  let found: Record<string, string> | undefined;
  if ("ellipsis" in column) {
    for (let take = fields.length - f; take >= 0 && !found; take--) found = bind(columns, c + 1, fields, f + take, bound, failed);
  } else if (f < fields.length && (!column.condition || holds(column.condition, fields[f]!))) {
    found = bind(columns, c + 1, fields, f + 1, { ...bound, [column.name]: fields[f]! }, failed);
  }
  if (!found) failed.add(memo);
  return found;
}

function holds(condition: Condition, value: string): boolean {
  if ("or" in condition) return condition.or.some((c) => holds(c, value));
  if ("and" in condition) return condition.and.every((c) => holds(c, value));
  return condition.test(value, true);
}

/** The pattern's columns: commas outside quotes separate them. */
function splitColumns(body: string): string[] {
  const columns: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && quoted) {
      current += ch + (body[++i] ?? "");
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      columns.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (quoted) throw new FilterPatternError("Unterminated quoted string");
  if (current.trim() !== "" || columns.length > 0) columns.push(current.trim());
  return columns;
}

function parseColumn(text: string): Column {
  if (text === "...") return { ellipsis: true };
  if (/^[A-Za-z_][\w-]*$/.test(text)) return { name: text };
  const tokens = tokenize(text);
  const first = tokens[0];
  if (!first || first.kind !== "word" || !/^[A-Za-z_][\w-]*$/.test(first.text)) throw new FilterPatternError(`Invalid field ${text}`);
  let i = 0;
  const take = () => {
    const t = tokens[i++];
    if (!t) throw new FilterPatternError("Unexpected end of filter pattern");
    return t;
  };
  const expr = (): Condition => {
    const parts = [conj()];
    while (tokens[i]?.text === "||") {
      i++;
      parts.push(conj());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const conj = (): Condition => {
    const parts = [comparisonOf()];
    while (tokens[i]?.text === "&&") {
      i++;
      parts.push(comparisonOf());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const comparisonOf = (): Condition => {
    const t = take();
    if (t.text === "(") {
      const inner = expr();
      if (take().text !== ")") throw new FilterPatternError("Missing closing parenthesis");
      return inner;
    }
    // Every comparison in a column is about that column's field.
    if (t.text !== first.text) throw new FilterPatternError(`A condition on ${first.text} cannot test ${t.text}`);
    const op = take();
    if (op.kind !== "op") throw new FilterPatternError(`Expected a comparison operator, found ${op.text}`);
    return { field: first.text, test: compare(op.text, take()) };
  };
  const condition = expr();
  if (i !== tokens.length) throw new FilterPatternError(`Unexpected ${tokens[i]!.text}`);
  return { name: first.text, condition };
}

/** A message's space-separated fields; `"..."` and `[...]` hold one field each, given without them. */
function splitFields(message: string): string[] {
  const fields: string[] = [];
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (const m of message.matchAll(re)) fields.push(m[1] ?? m[2] ?? m[3]!);
  return fields;
}

// ---- JSON patterns ----

type Token = { kind: "punct" | "op" | "string" | "number" | "word" | "path"; text: string };
type Node = { and: Node[] } | { or: Node[] } | { path: string[]; test: (v: unknown, present: boolean) => boolean };

function jsonPattern(text: string): MessagePredicate {
  if (!text.endsWith("}")) throw new FilterPatternError("Invalid character(s) in term");
  const tokens = tokenize(text.slice(1, -1));
  let i = 0;
  const peek = () => tokens[i];
  const take = () => {
    const t = tokens[i++];
    if (!t) throw new FilterPatternError("Unexpected end of filter pattern");
    return t;
  };
  const expr = (): Node => {
    const parts = [conj()];
    while (peek()?.text === "||") {
      i++;
      parts.push(conj());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const conj = (): Node => {
    const parts = [term()];
    while (peek()?.text === "&&") {
      i++;
      parts.push(term());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const term = (): Node => {
    const t = take();
    if (t.text === "(") {
      const inner = expr();
      if (take().text !== ")") throw new FilterPatternError("Missing closing parenthesis");
      return inner;
    }
    if (t.kind !== "path") throw new FilterPatternError(`Expected a selector such as $.field, found ${t.text}`);
    return comparison(parsePath(t.text));
  };
  const comparison = (path: string[]): Node => {
    const t = take();
    const word = t.text.toUpperCase();
    if (word === "IS") {
      const what = take().text.toUpperCase();
      if (what === "TRUE") return { path, test: (v) => v === true };
      if (what === "FALSE") return { path, test: (v) => v === false };
      if (what === "NULL") return { path, test: (v, present) => present && v === null };
      throw new FilterPatternError(`Unexpected ${what} after IS`);
    }
    if (word === "NOT") {
      if (take().text.toUpperCase() !== "EXISTS") throw new FilterPatternError("Expected EXISTS after NOT");
      return { path, test: (_v, present) => !present };
    }
    if (t.kind !== "op") throw new FilterPatternError(`Expected a comparison operator, found ${t.text}`);
    return { path, test: compare(t.text, take()) };
  };
  const root = expr();
  if (i !== tokens.length) throw new FilterPatternError(`Unexpected ${tokens[i]!.text}`);
  return (message) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return false;
    }
    return parsed !== null && typeof parsed === "object" && evaluate(root, parsed);
  };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\(|\))|(&&|\|\|)|(!=|<=|>=|=|<|>)|"((?:[^"\\]|\\.)*)"|(\$[^\s=!<>()&|]*)|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![^\s=!<>()&|])|([^\s=!<>()&|"]+))/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    m = re.exec(text);
    if (!m || m[0].length === 0) {
      if (text.slice(at).trim() === "") break;
      throw new FilterPatternError("Invalid character(s) in term");
    }
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: "punct", text: m[1] });
    else if (m[2]) tokens.push({ kind: "punct", text: m[2] });
    else if (m[3]) tokens.push({ kind: "op", text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: "string", text: m[4].replace(/\\(.)/g, "$1") });
    else if (m[5]) tokens.push({ kind: "path", text: m[5] });
    else if (m[6]) tokens.push({ kind: "number", text: m[6] });
    else if (m[7]) tokens.push({ kind: "word", text: m[7] });
  }
  return tokens;
}

/** `$.a.b[0]` -> ["a", "b", "0"]. */
function parsePath(text: string): string[] {
  if (!/^\$(\.[^.[\]]+|\[\d+\])*$/.test(text)) throw new FilterPatternError(`Invalid selector ${text}`);
  return [...text.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => m[1] ?? m[2]!);
}

function compare(op: string, value: Token): (v: unknown, present: boolean) => boolean {
  if (value.kind === "number") {
    const n = Number(value.text);
    const numeric = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
    switch (op) {
      case "=":
        return (v) => numeric(v) === n;
      case "!=":
        return (v, present) => present && numeric(v) !== n;
      case "<":
        return (v) => numeric(v) < n;
      case "<=":
        return (v) => numeric(v) <= n;
      case ">":
        return (v) => numeric(v) > n;
      default:
        return (v) => numeric(v) >= n;
    }
  }
  if (value.kind !== "string" && value.kind !== "word") throw new FilterPatternError(`Expected a value after ${op}, found ${value.text}`);
  if (op !== "=" && op !== "!=") throw new FilterPatternError(`Operator ${op} needs a number`);
  const re = new RegExp(`^${value.text.split("*").map(escapeRegExp).join(".*")}$`, "s");
  const matches = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean") && re.test(String(v));
  return op === "=" ? (v) => matches(v) : (v, present) => present && !matches(v);
}

function evaluate(node: Node, root: object): boolean {
  if ("and" in node) return node.and.every((n) => evaluate(n, root));
  if ("or" in node) return node.or.some((n) => evaluate(n, root));
  let value: unknown = root;
  for (const step of node.path) {
    if (value === null || typeof value !== "object" || !(step in value)) return node.test(undefined, false);
    value = (value as Record<string, unknown>)[step];
  }
  return node.test(value, true);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

import type { RequestContext } from "./request-context.js";

/**
 * Wildcard patterns of the policy language, compiled to regular expressions once each:
 * - actions: `*` and `?` anywhere, case-insensitive (`iam:*AccessKey*` matches `IAM:CreateAccessKey`);
 * - ARNs (Resource, NotResource): case-sensitive, `*`/`?` within the first five colon-separated parts, and in
 *   the resource part a `*` crosses `/` and `:` (`bkt/*` matches `bkt/a/b`); a pattern with fewer parts whose
 *   last `*` ends it matches the rest (`arn:aws:s3:*`);
 * - `StringLike`: `*`/`?` anywhere, case-sensitive;
 * - `ArnLike`: each of the six parts compared on its own, so no `*` crosses a colon.
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the literals `${*}`,
 * `${?}`, `${$}`) are expanded only where the policy's Version is 2012-10-17; a variable with no value and no
 * default makes the pattern match nothing (IAM User Guide, "IAM policy elements: Variables and tags").
 */
export type PatternKind = "action" | "arn" | "like" | "arnLike" | "exact" | "exactIgnoreCase";

const cache = new Map<string, RegExp>();
const MAX_CACHED = 20_000;

/** The pattern as a RegExp, or undefined when a variable in it has no value. */
export function patternRegExp(pattern: string, kind: PatternKind, context: RequestContext | undefined): RegExp | undefined {
  const variables = context !== undefined && pattern.includes("${");
  if (!variables) {
    const key = kind + "\u0000" + pattern;
    let re = cache.get(key);
    if (!re) {
      re = compile(pattern, kind, undefined)!;
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, re);
    }
    return re;
  }
  return compile(pattern, kind, context);
}

/** Expands a pattern's variables as plain text (for exact comparisons); undefined when one has no value. */
export function expandVariables(text: string, context: RequestContext | undefined): string | undefined {
  if (context === undefined || !text.includes("${")) return text;
  let out = "";
  for (const token of tokens(text)) {
    if (token.kind === "text") out += token.text;
    else {
      const value = variableValue(token.text, context);
      if (value === undefined) return undefined;
      out += value;
    }
  }
  return out;
}

function compile(pattern: string, kind: PatternKind, context: RequestContext | undefined): RegExp | undefined {
  const flags = kind === "action" || kind === "exactIgnoreCase" ? "is" : "s";
  if (kind === "arn" && pattern === "*") return /^/;
  let source = "";
  let colons = 0;
  const parts = kind === "arn" ? pattern.split(":").length : 0;
  const list = context ? tokens(pattern) : [{ kind: "text" as const, text: pattern }];
  for (const token of list) {
    if (token.kind === "variable") {
      const value = variableValue(token.text, context!);
      if (value === undefined) return undefined;
      source += escape(value);
      continue;
    }
    for (const ch of token.text) {
      if (ch === ":") colons++;
      const glob = kind !== "exact" && kind !== "exactIgnoreCase";
      if (glob && ch === "*") source += starFor(kind, colons, parts);
      else if (glob && ch === "?") source += kind === "arnLike" || (kind === "arn" && colons < 5) ? "[^:]" : ".";
      else source += escape(ch);
    }
  }
  return new RegExp(`^${source}$`, flags);
}

function starFor(kind: PatternKind, colons: number, parts: number): string {
  if (kind === "arnLike") return "[^:]*";
  // In an ARN pattern a `*` stays within its part, except in the resource part (after the fifth colon) and
  // in the last part of a pattern shorter than an ARN.
  if (kind === "arn" && colons < 5 && colons < parts - 1) return "[^:]*";
  return ".*";
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Token = { kind: "text" | "variable"; text: string };

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const start = pattern.indexOf("${", i);
    const end = start < 0 ? -1 : pattern.indexOf("}", start);
    if (start < 0 || end < 0) {
      out.push({ kind: "text", text: pattern.slice(i) });
      break;
    }
    if (start > i) out.push({ kind: "text", text: pattern.slice(i, start) });
    const inner = pattern.slice(start + 2, end);
    // ${*}, ${?} and ${$} stand for the character itself, never a wildcard.
    if (inner === "*" || inner === "?" || inner === "$") out.push({ kind: "variable", text: `'${inner}'` });
    else out.push({ kind: "variable", text: inner });
    i = end + 1;
  }
  return out;
}

/** `key` or `key, 'default'`; a quoted literal alone is the literal (how `${*}` is carried here). */
function variableValue(inner: string, context: RequestContext): string | undefined {
  const literal = /^'(.)'$/.exec(inner);
  if (literal) return literal[1];
  const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
  if (!m) return undefined;
  const values = context.values(m[1]!);
  // Only single-valued keys may be variables.
  if (values && values.length === 1) return values[0];
  return m[2];
}

import { isObject } from "./policy-documents.js";

/** The condition operators IAM knows, without their ForAnyValue:/ForAllValues: prefix and IfExists suffix. */
const OPERATORS = new Set([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]);

function baseOperator(operator: string): string {
  let op = operator;
  for (const prefix of ["ForAnyValue:", "ForAllValues:"]) {
    if (op.startsWith(prefix)) {
      op = op.slice(prefix.length);
      break;
    }
  }
  return op.endsWith("IfExists") ? op.slice(0, -"IfExists".length) : op;
}

/**
 * Whether a Condition block is well formed: operator -> {key: string | boolean | list}. An operator IAM
 * does not know is tolerated only with an empty block.
 */
export function conditionSyntaxOk(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) return false;
    for (const value of Object.values(block)) {
      if (typeof value !== "string" && typeof value !== "boolean" && !Array.isArray(value)) return false;
    }
    if (!OPERATORS.has(baseOperator(operator)) && Object.keys(block).length > 0) return false;
  }
  return true;
}

/** IAM's legacy parser rejects Date* condition values that are neither ISO 8601 dates nor epoch seconds. */
export function conditionDatesOk(condition: Record<string, unknown>): boolean {
  for (const [operator, block] of Object.entries(condition)) {
    if (!baseOperator(operator).startsWith("Date") || !isObject(block)) continue;
    for (const value of Object.values(block)) {
      for (const date of ([] as unknown[]).concat(value)) if (typeof date === "string" && !dateOk(date)) return false;
    }
  }
  return true;
}

const MAX_EPOCH = 9223372036854775807n;
const inRange = (text: string | undefined, min: number, max: number) => text !== undefined && /^-?\d+$/.test(text) && Number(text) >= min && Number(text) <= max;

function dateOk(value: string): boolean {
  const v = value.toLowerCase();
  if (!v.includes("t") && !v.includes("-")) return /^\d+$/.test(v) && BigInt(v) <= MAX_EPOCH;
  const [datePart = "", timePart = ""] = splitOnce(v, "t");
  const negative = datePart.startsWith("-");
  const dateParts = (negative ? datePart.slice(1) : datePart).split("-");
  if (dateParts.length > 3 || !inRange((negative ? "-" : "") + dateParts[0], -292275054, 292278993)) return false;
  if (dateParts.length > 1 && !inRange(dateParts[1], 1, 12)) return false;
  if (dateParts.length > 2 && !inRange(dateParts[2], 1, 31)) return false;
  return timeOk(timePart);
}

function timeOk(time: string): boolean {
  const parts = time.split(":");
  if (parts[0] !== "" && !inRange(parts[0], 0, 23)) return false;
  if (parts.length > 1 && !inRange(parts[1], 0, 59)) return false;
  if (parts.length < 3) return true;
  let seconds = parts.slice(2).join(":");
  if (seconds.includes("z")) {
    const [s, after] = splitOnce(seconds, "z");
    if (after !== "") return false;
    seconds = s ?? "";
  } else if (seconds.includes("+")) {
    const [s, zone = ""] = splitOnce(seconds, "+");
    const [hours = "", minutes] = splitOnce(zone, ":");
    if (hours.length !== 2 || !inRange(hours, 0, 23)) return false;
    if (minutes !== undefined && (minutes.length !== 2 || !inRange(minutes, 0, 59))) return false;
    seconds = s ?? "";
  }
  const [whole, fraction] = splitOnce(seconds, ".");
  if (!inRange(whole, 0, 59)) return false;
  return fraction === undefined || inRange(fraction, 0, 999999999);
}

function splitOnce(s: string, separator: string): [string, string | undefined] {
  const i = s.indexOf(separator);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + separator.length)];
}

import { AwsError } from "../types/aws-error.js";
import type { MemberRef, Shape } from "../types/model.js";
import { parseTimestamp } from "./timestamps.js";

/**
 * Converts a scalar from its text form on the wire (query strings, headers, XML text) to the value a handler
 * sees: numbers, booleans, Dates, bytes. `invalid` builds the protocol's error for text that is not a
 * valid value of the shape.
 */
export function scalarFromText(shape: Shape, text: string, path: string, invalid: (message: string) => AwsError): unknown {
  switch (shape.type) {
    case "string":
      return text;
    case "boolean":
      if (text === "true") return true;
      if (text === "false") return false;
      throw invalid(`Value '${text}' at '${path}' failed to satisfy constraint: Member must be a boolean`);
    case "integer":
    case "long":
    case "float":
    case "double": {
      const n = Number(text);
      const integral = shape.type === "integer" || shape.type === "long";
      if (text.trim() === "" || !Number.isFinite(n) || (integral && !Number.isInteger(n))) {
        throw invalid(`Value '${text}' at '${path}' failed to satisfy constraint: Member must be a number`);
      }
      return n;
    }
    case "timestamp": {
      const d = parseTimestamp(text);
      if (!d) throw invalid(`Value '${text}' at '${path}' failed to satisfy constraint: Member must be a timestamp`);
      return d;
    }
    case "blob":
      return Buffer.from(text, "base64");
    default:
      return text;
  }
}

/** Text form of a scalar for XML bodies and headers. */
export function scalarToText(shape: Shape, ref: MemberRef | undefined, value: unknown, timestamp: (d: Date, format?: string) => string): string {
  if (value instanceof Date) return timestamp(value, ref?.timestampFormat ?? (shape.type === "timestamp" ? shape.timestampFormat : undefined));
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

import type { MemberRef, ServiceModel } from "../types/model.js";
import type { RecordDateFormat } from "../types/service.js";
import { shapeOf, lowerFirst, presentMembers } from "../protocols/shapes.js";
import { isoSeconds } from "../protocols/timestamps.js";

/** What CloudTrail writes in place of a secret (the model's `sensitive` trait). */
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

/** EC2's records spell it their own way (CreateKeyPair keyMaterial, RunInstances userData). */
export const EC2_SENSITIVE = "<sensitiveDataRemoved>";

export interface RecordShaping {
  /** camel: API member names in lowerCamelCase; ec2: the XML names, lists as `{items: [...]}`. */
  style: "camel" | "ec2";
  dateFormat: RecordDateFormat;
}

/**
 * Turns an input or output value into the form CloudTrail records it in (reference/cloudtrail.md §2.5),
 * walking the model so that sensitive members are hidden wherever they sit.
 */
export function shapeForRecord(model: ServiceModel, ref: MemberRef, value: unknown, shaping: RecordShaping): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(model, ref.shape);
  if (shape.sensitive) return shaping.style === "ec2" ? EC2_SENSITIVE : HIDDEN;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      const object = value as Record<string, unknown>;
      for (const [name, member] of presentMembers(shape, object)) {
        const v = shapeForRecord(model, member, object[name], shaping);
        if (v !== undefined) out[recordName(name, member, shaping)] = v;
      }
      return out;
    }
    case "list": {
      const items = (value as unknown[]).map((v) => shapeForRecord(model, shape.member, v, shaping));
      // EC2 writes an empty list as {} (`"tagSet": {}`), never as {"items": []}.
      if (shaping.style === "ec2") return items.length > 0 ? { items } : {};
      return items;
    }
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = shapeForRecord(model, shape.value, v, shaping);
      return out;
    }
    case "timestamp":
      return value instanceof Date ? formatDate(value, shaping.dateFormat) : value;
    case "blob":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    default:
      return value;
  }
}

/** An input or output structure as a record object; null when it holds nothing (AWS writes null, not {}). */
export function recordObject(model: ServiceModel, shapeName: string | undefined, value: unknown, shaping: RecordShaping): Record<string, unknown> | null {
  if (!shapeName || value === undefined || value === null) return null;
  const shaped = shapeForRecord(model, { shape: shapeName }, value, shaping) as Record<string, unknown> | undefined;
  return shaped && Object.keys(shaped).length > 0 ? shaped : null;
}

function recordName(name: string, member: MemberRef, shaping: RecordShaping): string {
  if (shaping.style === "ec2") {
    const wire = member.locationName ?? name;
    // The XML's <return> is `_return` in EC2's records (the name of the Java field behind it).
    return wire === "return" ? "_return" : lowerFirst(wire);
  }
  return lowerFirst(name);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Dates inside requestParameters/responseElements keep each service's native form: IAM and STS the Java
 * default `Nov 28, 2024 3:21:35 PM` (UTC), EC2 epoch milliseconds; services on a current Java (KMS, STS's
 * newer operations) `Aug 10, 2022, 10:38:27 PM`, with a comma after the year.
 */
export function formatDate(d: Date, format: RecordDateFormat): string | number {
  switch (format) {
    case "epochMillis":
      return d.getTime();
    case "iso":
      return isoSeconds(d);
    case "java":
    case "javaComma": {
      const h = d.getUTCHours();
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}${format === "javaComma" ? "," : ""} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
    }
  }
}


import { AwsError } from "../types/aws-error.js";
import type { Codec } from "../types/codec.js";
import type { MemberRef, ServiceModel, Shape, StructureShape } from "../types/model.js";
import type { Call } from "../types/request-context.js";
import { requestIdHeaders } from "./responses.js";
import { setEntry, shapeOf, structureOf, wireError, wireName } from "./shapes.js";
import { epochSeconds, parseTimestamp } from "./timestamps.js";

const serialization = (message: string) => new AwsError("SerializationException", message, { status: 400 });

/** Reads a JSON value by the model: timestamps become Dates, blobs bytes; a wrong JSON type is a SerializationException. */
export function readJsonValue(model: ServiceModel, shape: Shape, value: unknown, path: string): unknown {
  if (value === null) return undefined;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) throw serialization(`Start of structure or map expected at '${path}'`);
      const object = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members)) {
        const v = object[wireName(name, ref)];
        if (v === undefined) continue;
        const read = readJsonValue(model, shapeOf(model, ref.shape), v, path ? `${path}.${name}` : name);
        if (read !== undefined) out[name] = read;
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) throw serialization(`Start of list expected at '${path}'`);
      const member = shapeOf(model, shape.member.shape);
      return value.map((v, i) => readJsonValue(model, member, v, `${path}.${i}`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw serialization(`Start of structure or map expected at '${path}'`);
      const member = shapeOf(model, shape.value.shape);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) setEntry(out, k, readJsonValue(model, member, v, `${path}.${k}`));
      return out;
    }
    case "string":
      if (typeof value !== "string") throw serialization(`STRING_VALUE can not be converted to a String at '${path}'`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw serialization(`Boolean expected at '${path}'`);
      return value;
    case "integer":
    case "long":
    case "float":
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value)) throw serialization(`Number expected at '${path}'`);
      if ((shape.type === "integer" || shape.type === "long") && !Number.isInteger(value)) throw serialization(`Integer expected at '${path}'`);
      return value;
    case "timestamp": {
      const d = parseTimestamp(value);
      if (!d) throw serialization(`Timestamp expected at '${path}'`);
      return d;
    }
    case "blob":
      if (typeof value !== "string") throw serialization(`Base64 string expected at '${path}'`);
      return Buffer.from(value, "base64");
    default:
      return value;
  }
}

/** Writes a value as JSON by the model: Dates as epoch seconds, bytes as base64. */
export function toJsonValue(model: ServiceModel, ref: MemberRef, value: unknown): unknown {
  // Strings, numbers and booleans are already what JSON writes (most of any output).
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return epochSeconds(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      const object = value as Record<string, unknown>;
      for (const member of bodyMembersOf(shape)) {
        const v = object[member.name];
        if (v === undefined || v === null) continue;
        out[member.wire] = toJsonValue(model, member.ref, v);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => toJsonValue(model, shape.member, v));
    case "map": {
      // No prototype: a key named __proto__ is an ordinary entry.
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJsonValue(model, shape.value, v);
      return out;
    }
    default:
      return value;
  }
}

/** A structure's body members with their wire names, worked out once per shape. */
const bodyMembers = new WeakMap<StructureShape, { name: string; ref: MemberRef; wire: string }[]>();
function bodyMembersOf(shape: StructureShape): { name: string; ref: MemberRef; wire: string }[] {
  let members = bodyMembers.get(shape);
  if (!members) {
    members = Object.entries(shape.members)
      .filter(([, ref]) => !ref.location)
      .map(([name, ref]) => ({ name, ref, wire: wireName(name, ref) }));
    bodyMembers.set(shape, members);
  }
  return members;
}

/** AWS JSON 1.0 / 1.1 (CloudTrail, KMS, CloudWatch Logs, EventBridge): POST / with X-Amz-Target. */
export const jsonCodec: Codec = {
  protocol: "json",
  recordStyle: "camel",

  operationName(call) {
    const target = call.raw.headers["x-amz-target"];
    return target ? target.slice(target.lastIndexOf(".") + 1) : undefined;
  },

  async decodeInput(call, operation, model) {
    if (!operation.input) return {};
    const text = call.body?.toString("utf8").trim() ?? "";
    let parsed: unknown = {};
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw serialization("Unable to parse the request body as JSON");
      }
    }
    return readJsonValue(model, structureOf(model, operation.input.shape), parsed, "") as Record<string, unknown>;
  },

  encodeOutput(call, operation, model, output) {
    const body = operation.output ? toJsonValue(model, { shape: operation.output.shape }, output ?? {}) : {};
    return json(call, model, 200, body);
  },

  encodeError(call, model, error) {
    const { code, status } = wireError(model, error.code, error.status, false);
    return json(call, model, status, { __type: code, message: error.message });
  },

  recordedErrorCode(_model, error) {
    return error.recordedCode ?? error.code;
  },
};

function json(call: Call, model: ServiceModel, status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": `application/x-amz-json-${model.metadata.jsonVersion ?? "1.1"}`, ...requestIdHeaders(call) },
  });
}

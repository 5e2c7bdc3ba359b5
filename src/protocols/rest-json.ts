import { AwsError } from "../types/aws-error.js";
import type { Codec } from "../types/codec.js";
import type { OperationModel, ServiceModel, StructureShape } from "../types/model.js";
import { readJsonValue, toJsonValue } from "./json.js";
import { bodyMembers, payloadMember, readHttpBindings, writeHttpBindings } from "./rest-bindings.js";
import { invalidInput, requestIdHeaders } from "./responses.js";
import { shapeOf, structureOf, wireError } from "./shapes.js";

const serialization = (message: string) => new AwsError("SerializationException", message, { status: 400 });

/**
 * restJson1 (Lambda, reference/protocols.md §2.5): the operation comes from the path (src/gateway/rest-routes.ts);
 * members bound to the URI, query string and headers are read by rest-bindings, the rest from a JSON body, or
 * the payload member is the whole body (Invoke's raw bytes). Errors: `x-amzn-ErrorType: Code` plus
 * `{"Type":"User","message":...}` with the model's status; boto3 reads the header first, SDK v3 too.
 */
export const restJsonCodec: Codec = {
  protocol: "rest-json",
  recordStyle: "camel",

  async decodeInput(call, operation, model) {
    if (!operation.input) return {};
    const shape = structureOf(model, operation.input.shape);
    const bound = readHttpBindings(model, shape, call, invalidInput(call));
    const payload = payloadMember(model, shape);
    if (payload) {
      const value = readPayload(model, payload.ref.shape, call.body, payload.name);
      return value === undefined ? bound : { ...bound, [payload.name]: value };
    }
    const body = readJsonValue(model, bodyShape(shape), parseBody(call.body), "") as Record<string, unknown>;
    return { ...body, ...bound };
  },

  encodeOutput(call, operation, model, output) {
    const values = (output ?? {}) as Record<string, unknown>;
    const shape = operation.output ? structureOf(model, operation.output.shape) : undefined;
    const bound = shape ? writeHttpBindings(model, shape, values) : { headers: {} };
    const status = bound.status ?? operation.http.responseCode ?? 200;
    // Lambda answers application/json even for Invoke's raw payload; clients read a blob payload whatever the type.
    const headers = { "content-type": "application/json", ...bound.headers, ...requestIdHeaders(call) };
    // 204 and 304 carry no body; an operation without output answers with none either.
    if (!shape || status === 204 || status === 304) return new Response(null, { status, headers });
    return new Response(writeBody(model, operation, shape, values), { status, headers });
  },

  encodeError(call, model, error) {
    const { code, status } = wireError(model, error.code, error.status, false);
    const body = { Type: status >= 500 ? "Service" : "User", message: error.message, ...error.fields };
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", "x-amzn-errortype": code, ...requestIdHeaders(call) },
    });
  },

  recordedErrorCode(_model, error) {
    return error.recordedCode ?? error.code;
  },
};

/** The structure as the JSON body sees it: only the members without an HTTP location. */
function bodyShape(shape: StructureShape): StructureShape {
  return { ...shape, members: Object.fromEntries(bodyMembers(shape)), required: [] };
}

function parseBody(body: Buffer | undefined): unknown {
  const text = body?.toString("utf8").trim() ?? "";
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw serialization("Unable to parse the request body as JSON");
  }
}

/** A payload member is the whole body: bytes for a blob, text for a string, JSON for a structure. */
function readPayload(model: ServiceModel, shapeName: string, body: Buffer | undefined, name: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case "blob":
      return body && body.length > 0 ? body : undefined;
    case "string":
      return body && body.length > 0 ? body.toString("utf8") : undefined;
    default:
      return body && body.length > 0 ? readJsonValue(model, shape, parseBody(body), name) : undefined;
  }
}

function writeBody(model: ServiceModel, operation: OperationModel, shape: StructureShape, values: Record<string, unknown>): string | Uint8Array {
  const payload = payloadMember(model, shape);
  if (!payload) return JSON.stringify(toJsonValue(model, { shape: operation.output!.shape }, values));
  const value = values[payload.name];
  if (value === undefined || value === null) return "";
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return value;
  return JSON.stringify(toJsonValue(model, payload.ref, value));
}

import type { AwsError } from "../types/aws-error.js";
import type { MemberRef, ServiceModel, Shape, StructureShape } from "../types/model.js";
import type { Call } from "../types/request-context.js";
import { scalarFromText, scalarToText } from "./scalars.js";
import { presentMembers, setEntry, shapeOf } from "./shapes.js";
import { httpDate, isoSeconds, epochSeconds } from "./timestamps.js";
import { queryParams } from "../gateway/query-params.js";

/**
 * The HTTP bindings shared by rest-xml (S3) and rest-json (Lambda): input members bound to the URI, the
 * query string and headers, and output members bound to headers and the status code. The body (payload
 * member or the remaining members) is each codec's own business.
 */

/** An input structure's members by where they are bound, worked out once per shape. */
interface BoundMember {
  name: string;
  ref: MemberRef;
  shape: Shape;
  wire: string;
}
interface Bindings {
  /** Bound to the URI, the query string or a header prefix: few per shape, read one by one. */
  bound: BoundMember[];
  /** Bound to one header each (S3 PutObject has dozens), by lower-case header name: found from the headers sent. */
  byHeader: Map<string, BoundMember[]>;
  /** Query keys other members claim: a map bound to the query string takes only the rest. */
  queryKeys: Set<string>;
}
const bindingsByShape = new WeakMap<StructureShape, Bindings>();
function bindingsOf(model: ServiceModel, shape: StructureShape): Bindings {
  let bindings = bindingsByShape.get(shape);
  if (!bindings) {
    const bound = Object.entries(shape.members)
      .filter(([, ref]) => ref.location === "uri" || ref.location === "querystring" || ref.location === "header" || ref.location === "headers")
      .map(([name, ref]) => ({ name, ref, shape: shapeOf(model, ref.shape), wire: ref.location === "header" || ref.location === "headers" ? (ref.locationName ?? name).toLowerCase() : (ref.locationName ?? name) }));
    const queryKeys = new Set(bound.filter((m) => m.ref.location === "querystring" && m.ref.locationName).map((m) => m.wire));
    const byHeader = new Map<string, BoundMember[]>();
    for (const m of bound) if (m.ref.location === "header") byHeader.set(m.wire, [...(byHeader.get(m.wire) ?? []), m]);
    bindingsByShape.set(shape, (bindings = { bound: bound.filter((m) => m.ref.location !== "header"), byHeader, queryKeys }));
  }
  return bindings;
}

/** Reads every input member bound to a location; the rest are the body's. */
export function readHttpBindings(model: ServiceModel, shape: StructureShape, call: Call, invalid: (m: string) => AwsError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { bound, byHeader, queryKeys } = bindingsOf(model, shape);
  const headers = call.raw.headers;
  for (const header in headers) {
    const members = byHeader.get(header);
    if (!members) continue;
    const value = headers[header]!;
    for (const { name, ref, shape: member } of members) {
      if (member.type === "list") out[name] = value.split(",").map((v) => v.trim());
      else if (ref.jsonvalue) out[name] = decodeJsonHeader(value, name, invalid);
      else out[name] = scalarFromText(member, value, name, invalid);
    }
  }
  let query: URLSearchParams | undefined;
  for (const { name, ref, shape: member, wire } of bound) {
    switch (ref.location) {
      case "uri": {
        const value = call.pathLabels?.[wire];
        if (value !== undefined) out[name] = scalarFromText(member, value, name, invalid);
        break;
      }
      case "querystring": {
        query ??= queryParams(call.raw);
        if (member.type === "map") {
          // A map bound to the query string takes every parameter no other member claims.
          const map: Record<string, string> = {};
          for (const [k, v] of query) if (!queryKeys.has(k)) setEntry(map, k, v);
          if (Object.keys(map).length) out[name] = map;
        } else if (member.type === "list") {
          const values = query.getAll(wire);
          if (values.length) out[name] = values.map((v) => scalarFromText(shapeOf(model, member.member.shape), v, name, invalid));
        } else if (query.has(wire)) {
          out[name] = scalarFromText(member, query.get(wire)!, name, invalid);
        }
        break;
      }
      case "headers": {
        const map: Record<string, string> = {};
        for (const k in headers) if (k.startsWith(wire)) setEntry(map, k.slice(wire.length), headers[k]!);
        if (Object.keys(map).length) out[name] = map;
        break;
      }
    }
  }
  return out;
}

/** Output members bound to headers and the status code. */
export function writeHttpBindings(model: ServiceModel, shape: StructureShape, output: Record<string, unknown>): { headers: Record<string, string>; status?: number } {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  for (const [name, ref] of presentMembers(shape, output)) {
    const value = output[name];
    if (value === null) continue;
    const member = shapeOf(model, ref.shape);
    const wire = ref.locationName ?? name;
    switch (ref.location) {
      case "header":
        if (member.type === "list") headers[wire] = (value as unknown[]).map((v) => String(v)).join(", ");
        else if (ref.jsonvalue) headers[wire] = Buffer.from(JSON.stringify(value)).toString("base64");
        else headers[wire] = headerText(model, ref, value);
        break;
      case "headers":
        for (const [k, v] of Object.entries(value as Record<string, string>)) headers[`${wire}${k}`] = v;
        break;
      case "statusCode":
        status = Number(value);
        break;
      default:
        break;
    }
  }
  return { headers, status };
}

/** The member that is the whole HTTP body, when the structure names one (`payload`). */
export function payloadMember(model: ServiceModel, shape: StructureShape): { name: string; ref: MemberRef } | undefined {
  if (!shape.payload) return undefined;
  const ref = shape.members[shape.payload];
  return ref ? { name: shape.payload, ref } : undefined;
}

const bodyMembersByShape = new WeakMap<StructureShape, [string, MemberRef][]>();

/** Members that go in the body: those without an HTTP location (worked out once per shape). */
export function bodyMembers(shape: StructureShape): [string, MemberRef][] {
  let members = bodyMembersByShape.get(shape);
  if (!members) bodyMembersByShape.set(shape, (members = Object.entries(shape.members).filter(([, ref]) => !ref.location)));
  return members;
}

function headerText(model: ServiceModel, ref: MemberRef, value: unknown): string {
  const shape = shapeOf(model, ref.shape);
  // Header timestamps default to RFC 7231 (SDK v3 rejects anything else for Last-Modified).
  return scalarToText(shape, ref, value, (d, format) => (format === "iso8601" ? isoSeconds(d) : format === "unixTimestamp" ? String(epochSeconds(d)) : httpDate(d)));
}

function decodeJsonHeader(value: string, name: string, invalid: (m: string) => AwsError): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    throw invalid(`Value at '${name}' is not base64-encoded JSON`);
  }
}

import { hash } from "node:crypto";
import { Readable } from "node:stream";
import { AwsError } from "../types/aws-error.js";
import type { Codec } from "../types/codec.js";
import type { MemberRef, OperationModel, ServiceModel, Shape, StructureShape } from "../types/model.js";
import type { Call } from "../types/request-context.js";
import type { StreamingBlob } from "../types/streaming-blob.js";
import { CHECKSUM_ALGORITHMS, checksumOf } from "./checksums.js";
import { bodyMembers, payloadMember, readHttpBindings, writeHttpBindings } from "./rest-bindings.js";
import { invalidInput } from "./responses.js";
import { scalarFromText } from "./scalars.js";
import { shapeOf, structureOf, wireError, wireName } from "./shapes.js";
import { childrenNamed, malformedXml, parseXml, type XmlElement } from "./xml-parse.js";
import { writeStructureMembers, type XmlStyle } from "./xml-shapes.js";
import { XmlWriter } from "./xml-writer.js";

/** S3 writes body timestamps with milliseconds: 2026-11-24T13:19:14.000Z. */
const restXmlStyle: XmlStyle = { listMember: "member", timestamp: (d) => d.toISOString() };

/**
 * The x-amz-id-2 (HostId) of a request: S3 sends an opaque base64 token beside the request id. Derived
 * from the request id, so the header, the error body and the record's additionalEventData agree.
 */
export function hostId(requestId: string): string {
  return hash("sha512", `localtrail/${requestId}`, "buffer").subarray(0, 56).toString("base64");
}

/**
 * REST-XML (S3): input from the URI, query string, headers and an XML, raw or streaming payload; output
 * as headers plus an XML document, raw bytes or a stream. Errors in S3's `<Error>` envelope with the
 * error's extra fields; HEAD errors without a body (reference/protocols.md §2.4).
 */
export const restXmlCodec: Codec = {
  protocol: "rest-xml",
  recordStyle: "camel",

  async decodeInput(call, operation, model) {
    if (!operation.input) return {};
    const shape = structureOf(model, operation.input.shape);
    if (call.body !== undefined && operation.httpChecksum) checkBodyIntegrity(call.body, call.raw.headers, operation.httpChecksum.requestChecksumRequired === true);
    const input = readHttpBindings(model, shape, call, invalidInput(call));
    const payload = payloadMember(model, shape);
    if (payload) {
      const value = await readPayload(call, model, payload.ref);
      if (value !== undefined) input[payload.name] = value;
    } else if (bodyMembers(shape).length > 0) {
      const root = await parseXml(call.body ?? Buffer.alloc(0));
      if (root) Object.assign(input, readXmlStructure(model, shape, root));
    }
    return input;
  },

  encodeOutput(call, operation, model, output) {
    const value = (output ?? {}) as Record<string, unknown>;
    const shape = operation.output ? structureOf(model, operation.output.shape) : undefined;
    const bound = shape ? writeHttpBindings(model, shape, value) : { headers: {} };
    // A part of the representation (Range, partNumber) is answered 206 with its Content-Range (RFC 7233).
    const status = bound.status ?? (bound.headers["Content-Range"] !== undefined ? 206 : (operation.http.responseCode ?? 200));
    const headers: Record<string, string> = { ...s3Headers(call), ...headerSafe(bound.headers) };
    const body = shape ? outputBody(operation, model, shape, value) : undefined;
    if (body === undefined || call.raw.method === "HEAD" || status === 204 || status === 304) {
      if (body && typeof body === "object" && "stream" in body) body.stream.destroy();
      // An empty answer says so (S3 sends Content-Length: 0); HEAD keeps the length of what GET would send.
      if (call.raw.method !== "HEAD" && status !== 204 && status !== 304) headers["content-length"] = "0";
      return new Response(null, { status, headers });
    }
    if (typeof body === "string") return new Response(body, { status, headers: { "content-type": "application/xml", ...headers } });
    if (Buffer.isBuffer(body)) return new Response(body, { status, headers });
    return new Response(Readable.toWeb(body.stream) as ReadableStream, { status, headers });
  },

  encodeError(call, model, error) {
    const { code, status } = wireError(model, error.code, error.status, true);
    const headers = { ...s3Headers(call), ...error.headers };
    // A HEAD answer has no body: clients see only the status (boto3 "404", SDK v3 NotFound).
    if (call.raw.method === "HEAD" || status === 304) return new Response(null, { status, headers });
    return new Response(errorDocument(call.requestId, code, error), { status, headers: { "content-type": "application/xml", ...headers } });
  },

  recordedErrorCode(model, error) {
    return error.recordedCode ?? wireError(model, error.code, error.status, true).code;
  },
};

/** `<Error><Code/><Message/>` + the error's own fields + `<RequestId/><HostId/>`, S3's error document. */
function errorDocument(requestId: string, code: string, error: AwsError): string {
  const w = new XmlWriter(true);
  w.open("Error").leaf("Code", code).leaf("Message", error.message);
  for (const [k, v] of Object.entries(error.fields ?? {})) w.leaf(k, v);
  return w.leaf("RequestId", requestId).leaf("HostId", hostId(requestId)).close("Error").toString();
}

/** The size of the body the codec sends for an outcome, for records that count the bytes sent (S3). */
export function encodedBodyLength(model: ServiceModel, operationName: string, requestId: string, output: unknown, error: AwsError | undefined): number {
  if (error) {
    const { code, status } = wireError(model, error.code, error.status, true);
    return status === 304 ? 0 : Buffer.byteLength(errorDocument(requestId, code, error));
  }
  const operation = model.operations[operationName];
  if (!operation?.output) return 0;
  const body = outputBody(operation, model, structureOf(model, operation.output.shape), (output ?? {}) as Record<string, unknown>);
  if (body === undefined) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  return Buffer.isBuffer(body) ? body.length : (body.length ?? 0);
}

function s3Headers(call: Call): Record<string, string> {
  return { "x-amz-request-id": call.requestId, "x-amz-id-2": hostId(call.requestId), server: "AmazonS3" };
}

/**
 * A body held in memory is checked against the Content-MD5 and x-amz-checksum-* headers the client sent
 * (operations with the model's httpChecksum trait; streamed bodies are checked by their handler as they
 * are stored). Operations that require a checksum refuse a request without one.
 */
function checkBodyIntegrity(body: Buffer, headers: Record<string, string>, required: boolean): void {
  const md5 = headers["content-md5"];
  if (md5 !== undefined) {
    const digest = Buffer.from(md5, "base64");
    if (digest.length !== 16) throw new AwsError("InvalidDigest", "The Content-MD5 you specified is not valid.", { status: 400 });
    if (!digest.equals(hash("md5", body, "buffer"))) throw new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", { status: 400 });
  }
  const sent = CHECKSUM_ALGORITHMS.filter((a) => headers[`x-amz-checksum-${a.toLowerCase()}`] !== undefined);
  for (const algorithm of sent) {
    if (headers[`x-amz-checksum-${algorithm.toLowerCase()}`] !== checksumOf(algorithm, body)) {
      throw new AwsError("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`, { status: 400 });
    }
  }
  if (required && md5 === undefined && sent.length === 0 && !Object.keys(headers).some((h) => h.startsWith("x-amz-checksum-"))) {
    throw new AwsError("InvalidRequest", "Missing required header for this request: Content-MD5", { status: 400 });
  }
}

/** The payload member: a stream for streaming blobs, the bytes or text, or an XML document read by the model. */
async function readPayload(call: Call, model: ServiceModel, ref: MemberRef): Promise<unknown> {
  const shape = shapeOf(model, ref.shape);
  if (shape.type === "blob" && (shape.streaming || ref.streaming)) {
    // A body small enough was read at once (resolve-operation.ts): the handler gets its bytes as well.
    let stream = call.bodyStream;
    let bytes: Buffer | undefined;
    if (!stream) {
      bytes = call.body ?? Buffer.alloc(0);
      stream = Readable.from(bytes.length > 0 ? [bytes] : []);
    }
    call.bodyStream = undefined;
    const declared = call.raw.headers["x-amz-decoded-content-length"] ?? call.raw.headers["content-length"];
    const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
    return { stream, length, bytes } satisfies StreamingBlob;
  }
  const body = call.body ?? Buffer.alloc(0);
  if (shape.type === "blob") return body.length > 0 ? body : undefined;
  if (shape.type === "string") return body.length > 0 ? body.toString("utf8") : undefined;
  if (shape.type !== "structure") return undefined;
  const root = await parseXml(body);
  // S3 accepts the payload's root element with or without its namespace, but not another element.
  if (!root) return undefined;
  if (root.name !== (ref.locationName ?? ref.shape)) throw malformedXml();
  return readXmlStructure(model, shape, root);
}

function readXmlStructure(model: ServiceModel, shape: StructureShape, element: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    if (ref.location) continue;
    const wire = wireName(name, ref);
    const member = shapeOf(model, ref.shape);
    if (ref.xmlAttribute) {
      const text = element.attributes[wire];
      if (text !== undefined) out[name] = xmlScalar(member, text, name);
      continue;
    }
    if (member.type === "list" && (ref.flattened || member.flattened)) {
      const items = childrenNamed(element, wire);
      if (items.length > 0) out[name] = items.map((item) => readXmlValue(model, member.member, item));
      continue;
    }
    const child = element.children.find((c) => c.name === wire);
    if (child) out[name] = readXmlValue(model, ref, child);
  }
  return out;
}

function readXmlValue(model: ServiceModel, ref: MemberRef, element: XmlElement): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure":
      return readXmlStructure(model, shape, element);
    case "list":
      return childrenNamed(element, shape.member.locationName ?? "member").map((item) => readXmlValue(model, shape.member, item));
    case "map": {
      const out: Record<string, unknown> = {};
      const entries = ref.flattened || shape.flattened ? [element] : childrenNamed(element, "entry");
      for (const entry of entries) {
        const key = entry.children.find((c) => c.name === (shape.key.locationName ?? "key"));
        const value = entry.children.find((c) => c.name === (shape.value.locationName ?? "value"));
        if (key && value) out[key.text] = readXmlValue(model, shape.value, value);
      }
      return out;
    }
    default:
      return xmlScalar(shape, element.text, ref.shape);
  }
}

/** A scalar in an XML body that is not a valid value of its shape makes the document malformed, as S3 says. */
function xmlScalar(shape: Shape, text: string, path: string): unknown {
  return scalarFromText(shape, text, path, () => malformedXml());
}

type OutputBody = string | Buffer | StreamingBlob | undefined;

/** The response body: the payload member (stream, bytes, text or an XML document), or the body members as XML. */
function outputBody(operation: OperationModel, model: ServiceModel, shape: StructureShape, value: Record<string, unknown>): OutputBody {
  const namespace = model.metadata.xmlNamespace;
  const payload = payloadMember(model, shape);
  if (payload) {
    const v = value[payload.name];
    if (v === undefined || v === null) return undefined;
    const target = shapeOf(model, payload.ref.shape);
    if (target.type === "blob") return v instanceof Uint8Array ? Buffer.from(v) : (v as StreamingBlob);
    if (target.type === "string") return String(v);
    if (target.type !== "structure") return undefined;
    return xmlDocument(payload.ref.locationName ?? payload.ref.shape, namespace, (w) =>
      writeStructureMembers(w, model, target, v as Record<string, unknown>, restXmlStyle),
    );
  }
  const members = bodyMembers(shape);
  if (members.length === 0) return undefined;
  const root = shape.locationName ?? operation.output!.shape;
  const [only] = members;
  // GetBucketLocation: the root element is the single member itself, `<LocationConstraint>eu-west-1</...>`.
  if (members.length === 1 && only && wireName(only[0], only[1]) === root && shapeOf(model, only[1].shape).type === "string") {
    const text = value[only[0]];
    return xmlDocument(root, namespace, undefined, typeof text === "string" ? text : "");
  }
  return xmlDocument(root, namespace, (w) => writeStructureMembers(w, model, shape, value, restXmlStyle));
}

function xmlDocument(root: string, namespace: string | undefined, members?: (w: XmlWriter) => void, text?: string): string {
  const w = new XmlWriter(true);
  const attributes = namespace ? { xmlns: namespace } : undefined;
  if (text !== undefined) return w.leaf(root, text, attributes).toString();
  w.open(root, attributes);
  members?.(w);
  return w.close(root).toString();
}

/**
 * Header values must be bytes a header can carry. Values a client sent come back as they came (Node reads
 * headers as latin1); anything beyond latin1, or with line breaks, is RFC 2047-encoded as S3 does for
 * non-ASCII user metadata.
 */
function headerSafe(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = /[^\u0020-\u007e\u0080-\u00ff\t]/.test(v) ? `=?UTF-8?B?${Buffer.from(v, "utf8").toString("base64")}?=` : v;
  }
  return out;
}

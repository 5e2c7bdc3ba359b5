import type { RecordResource } from "../../src/types/cloudtrail-record.js";
import type { MemberRef, ServiceModel } from "../../src/types/model.js";
import type { AuditFacts, AuditView } from "../../src/types/service.js";
import { loadModel } from "../../src/protocols/models.js";
import { payloadMember } from "../../src/protocols/rest-bindings.js";
import { encodedBodyLength, hostId } from "../../src/protocols/rest-xml.js";
import { shapeOf, structureOf, wireName } from "../../src/protocols/shapes.js";

/**
 * How CloudTrail records S3 calls (reference/cloudtrail.md §2.5, and real records: the S3 user guide's
 * "CloudTrail log file entries for Amazon S3", published incident write-ups). S3 does not record its
 * model's members: requestParameters hold bucketName, the Host the client sent, key, the query string
 * parameters (a sub-resource such as `?policy` as ""), a few x-amz-* headers, and an XML body as parsed
 * XML (with its xmlns); responseElements hold the encryption headers of writes, or null.
 */

type View = AuditView<Record<string, unknown>, Record<string, unknown>>;

/** Query parameters that are signatures or SDK routing hints, not request parameters. */
const UNRECORDED_QUERY = new Set(["x-id", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Security-Token", "AWSAccessKeyId", "Signature"]);

/** The request headers CloudTrail echoes in S3 requestParameters. */
const RECORDED_HEADERS = [
  "x-amz-acl",
  "x-amz-storage-class",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-copy-source",
  "x-amz-copy-source-range",
  "x-amz-metadata-directive",
  "x-amz-tagging-directive",
  "x-amz-object-ownership",
  "x-amz-bucket-object-lock-enabled",
];

/** Response headers that S3 writes in responseElements of a write. */
const RECORDED_OUTPUT: [string, string][] = [
  ["ServerSideEncryption", "x-amz-server-side-encryption"],
  ["SSEKMSKeyId", "x-amz-server-side-encryption-aws-kms-key-id"],
  ["SSECustomerAlgorithm", "x-amz-server-side-encryption-customer-algorithm"],
  ["VersionId", "x-amz-version-id"],
];

let model: ServiceModel | undefined;
const s3Model = () => (model ??= loadModel("s3"));

function requestParameters(operation: string, view: View): Record<string, unknown> {
  const input = view.input ?? {};
  const out: Record<string, unknown> = {};
  if (typeof input.Bucket === "string") out.bucketName = input.Bucket;
  if (view.request.headers["host"] !== undefined) out.Host = view.request.headers["host"];
  if (typeof input.Key === "string") out.key = input.Key;
  for (const [k, v] of new URLSearchParams(view.request.query)) if (!UNRECORDED_QUERY.has(k)) out[k] = v;
  for (const h of RECORDED_HEADERS) if (view.request.headers[h] !== undefined) out[h] = view.request.headers[h];
  const body = xmlBody(operation, input);
  if (body) out[body.name] = body.value;
  if (operation === "PutBucketPolicy" && typeof input.Policy === "string") out.bucketPolicy = parsedPolicy(input.Policy);
  return out;
}

function parsedPolicy(policy: string): unknown {
  try {
    return JSON.parse(policy);
  } catch {
    return policy;
  }
}

/** An XML payload as CloudTrail writes it: elements by name, one repeated element an object, several an array. */
function xmlBody(operation: string, input: Record<string, unknown>): { name: string; value: unknown } | undefined {
  const m = s3Model();
  const inputShape = m.operations[operation]?.input?.shape;
  if (!inputShape) return undefined;
  const payload = payloadMember(m, structureOf(m, inputShape));
  if (!payload || shapeOf(m, payload.ref.shape).type !== "structure" || input[payload.name] === undefined) return undefined;
  const value = xmlForm(m, payload.ref, input[payload.name]) as Record<string, unknown>;
  if (payload.ref.xmlNamespace) value.xmlns = payload.ref.xmlNamespace.uri;
  return { name: payload.ref.locationName ?? payload.name, value };
}

function xmlForm(m: ServiceModel, ref: MemberRef, value: unknown): unknown {
  const shape = shapeOf(m, ref.shape);
  if (shape.type === "structure") {
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.members)) {
      const v = (value as Record<string, unknown>)[name];
      if (v === undefined || member.location) continue;
      const memberShape = shapeOf(m, member.shape);
      if (memberShape.type === "list") {
        const items = (v as unknown[]).map((item) => xmlForm(m, memberShape.member, item));
        const one = items.length === 1 ? items[0] : items;
        out[wireName(name, member)] = member.flattened || memberShape.flattened ? one : { [memberShape.member.locationName ?? "member"]: one };
      } else out[wireName(name, member)] = xmlForm(m, member, v);
    }
    return out;
  }
  return value instanceof Date ? value.toISOString() : String(value);
}

function responseElements(view: View): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [member, header] of RECORDED_OUTPUT) if (view.output?.[member] !== undefined) out[header] = view.output[member];
  return Object.keys(out).length ? out : null;
}

/** How S3 encrypted a new object, as writes record it (S3 user guide, "Default encryption FAQ"). */
function sseApplied(headers: Record<string, string>): string {
  if (headers["x-amz-server-side-encryption-customer-algorithm"] !== undefined) return "SSE_C";
  const sse = headers["x-amz-server-side-encryption"];
  if (sse === undefined) return "Default_SSE_S3";
  return sse.startsWith("aws:kms") ? "SSE_KMS" : "SSE_S3";
}

function additionalEventData(operation: string, view: View, withSse: boolean): Record<string, unknown> {
  const headers = view.request.headers;
  const declared = headers["x-amz-decoded-content-length"] ?? headers["content-length"] ?? "0";
  return {
    SignatureVersion: view.auth.signatureVersion,
    bytesTransferredIn: /^\d+$/.test(declared) ? Number(declared) : 0,
    ...(withSse ? { SSEApplied: sseApplied(headers) } : {}),
    AuthenticationMethod: view.auth.method,
    "x-amz-id-2": hostId(view.requestId),
    bytesTransferredOut: view.request.method === "HEAD" ? 0 : encodedBodyLength(s3Model(), operation, view.requestId, view.output, view.error),
  };
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/** LookupEvents names a bucket by its name, as the Bucket member does, whether the call names objects or not. */
export const bucketLookupName = (resource: RecordResource): string | undefined =>
  resource.type === "AWS::S3::Bucket" && resource.ARN?.startsWith("arn:aws:s3:::") ? resource.ARN.slice("arn:aws:s3:::".length) : undefined;

function bucketResource(view: View): RecordResource[] | undefined {
  const bucket = view.input?.Bucket;
  return typeof bucket === "string" ? [{ accountId: view.accountId, type: "AWS::S3::Bucket", ARN: bucketArn(bucket) }] : undefined;
}

/** An object event names the object and its bucket; a listing names the objects under the bucket (ARNPrefix). */
function objectResources(view: View, wholeBucket: boolean): RecordResource[] | undefined {
  const bucket = view.input?.Bucket;
  if (typeof bucket !== "string") return undefined;
  const key = view.input?.Key;
  const objects: RecordResource =
    wholeBucket || typeof key !== "string" ? { type: "AWS::S3::Object", ARNPrefix: `${bucketArn(bucket)}/` } : { type: "AWS::S3::Object", ARN: `${bucketArn(bucket)}/${key}` };
  return [objects, { accountId: view.accountId, type: "AWS::S3::Bucket", ARN: bucketArn(bucket) }];
}

/** A bucket-level call: a management event, responseElements null, the bucket as resource. */
export function bucketEvent(operation: string, options: { resources?: boolean; eventName?: string } = {}): AuditFacts<unknown, unknown> {
  return {
    eventName: options.eventName,
    requestParameters: (view) => requestParameters(operation, view as View),
    responseElements: () => null,
    additionalEventData: (view) => additionalEventData(operation, view as View, false),
    resources: options.resources === false ? undefined : (view) => bucketResource(view as View),
  };
}

/** An object-level call: a data event (never in LookupEvents) with the object and its bucket as resources. */
export function objectEvent(
  operation: string,
  options: { eventName?: string; wholeBucket?: boolean; sseApplied?: boolean } = {},
): AuditFacts<unknown, unknown> {
  return {
    category: "Data",
    eventName: options.eventName,
    requestParameters: (view) => requestParameters(operation, view as View),
    responseElements: (view) => responseElements(view as View),
    additionalEventData: (view) => additionalEventData(operation, view as View, options.sseApplied === true),
    resources: (view) => objectResources(view as View, options.wholeBucket === true),
  };
}

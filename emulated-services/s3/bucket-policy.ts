import type { Op } from "./op.js";
import { bucketForPolicy } from "./bucket-access.js";
import { malformedPolicy, noSuchBucketPolicy } from "./errors.js";
import { bucketTable } from "./state.js";

/** S3 caps a bucket policy at 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;

export const putBucketPolicy: Op<"PutBucketPolicy"> = (input, ctx) => {
  const bucket = bucketForPolicy(ctx, input.Bucket);
  checkPolicy(input.Policy, bucket.name);
  bucketTable(ctx.state).set(bucket.name, { ...bucket, policy: input.Policy });
};

export const getBucketPolicy: Op<"GetBucketPolicy"> = (input, ctx) => {
  const bucket = bucketForPolicy(ctx, input.Bucket);
  if (bucket.policy === undefined) throw noSuchBucketPolicy(bucket.name);
  return { Policy: bucket.policy };
};

export const deleteBucketPolicy: Op<"DeleteBucketPolicy"> = (input, ctx) => {
  const bucket = bucketForPolicy(ctx, input.Bucket);
  const { policy: _removed, ...rest } = bucket;
  bucketTable(ctx.state).set(bucket.name, rest);
};

/**
 * The checks S3 makes before it stores a policy, with its MalformedPolicy messages: valid JSON object,
 * a Statement of statements each with an Effect, a Principal, an Action and a Resource inside this bucket.
 */
function checkPolicy(text: string, bucket: string): void {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformedPolicy("Policy exceeds the maximum allowed document size.");
  if (!text.trimStart().startsWith("{")) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformedPolicy("This policy contains invalid Json");
  }
  const doc = policy as Record<string, unknown>;
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") throw malformedPolicy("Invalid Version");
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement && typeof doc.Statement === "object" ? [doc.Statement] : undefined;
  if (!statements || statements.length === 0) throw malformedPolicy("Missing required field Statement");
  for (const s of statements as Record<string, unknown>[]) {
    if (!s || typeof s !== "object") throw malformedPolicy("This policy contains invalid Json");
    if (s.Effect !== "Allow" && s.Effect !== "Deny") throw malformedPolicy(`Invalid effect: ${String(s.Effect)}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformedPolicy("Missing required field Principal");
    if (s.Action === undefined && s.NotAction === undefined) throw malformedPolicy("Missing required field Action");
    const actions = [s.Action ?? s.NotAction].flat();
    if (actions.some((a) => typeof a !== "string" || !(a === "*" || /^s3:[A-Za-z*?]+$/.test(a)))) throw malformedPolicy("Policy has invalid action");
    if (s.Resource === undefined && s.NotResource === undefined) throw malformedPolicy("Missing required field Resource");
    const resources = [s.Resource ?? s.NotResource].flat();
    if (resources.some((r) => typeof r !== "string" || !inBucket(r, bucket))) throw malformedPolicy("Policy has invalid resource");
  }
}

/** A bucket policy can only name the bucket itself or its objects (wildcards allowed). */
function inBucket(resource: string, bucket: string): boolean {
  if (!resource.startsWith("arn:aws:s3:::")) return false;
  const rest = resource.slice("arn:aws:s3:::".length);
  const name = rest.split("/")[0]!;
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return pattern.test(bucket);
}

import type { ActionRequirement, AuthorizationSource, ServiceAuthorization } from "../../src/types/authorization.js";
import type { StateView } from "../../src/state/store.js";
import { bucketTable } from "./state.js";

/**
 * How S3's calls are authorized (reference/iam-enforcement.md §3.2, S3 User Guide "Required permissions for
 * Amazon S3 API operations"): the operations whose action is not their own name, object versions, the
 * tagging and ACL a PutObject also sets, CopyObject reading its source, DeleteObjects deleting each key.
 * A bucket's policy is its resource-based policy; denials quote the ARN, and say only "Access Denied" to
 * another account.
 */
type Input = Record<string, unknown>;

/** CopySource `bucket/key[?versionId=...]`, URL-encoded, with or without a leading slash. */
function copySource(input: Input): { bucket: string; key: string } | undefined {
  if (typeof input.CopySource !== "string") return undefined;
  const [path = ""] = input.CopySource.replace(/^\//, "").split("?");
  const slash = path.indexOf("/");
  if (slash < 1) return undefined;
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
}

const deletedKeys = (input: Input) =>
  ((input.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? []).flatMap((o) => (typeof o.Key === "string" ? [o.Key] : []));

const readObject = (action: string): ActionRequirement[] => [
  { action, unless: "VersionId" },
  { action: `${action}Version`, when: "VersionId" },
];
const writeObject: ActionRequirement[] = [
  { action: "s3:PutObject" },
  { action: "s3:PutObjectTagging", when: "Tagging" },
  // Handing the bucket owner full control needs only s3:PutObject (S3 User Guide, "Policy examples for ACLs";
  // CloudTrail's documented bucket policy grants it alone for its bucket-owner-full-control writes).
  { action: "s3:PutObjectAcl", when: "ACL", unlessEquals: ["ACL", "bucket-owner-full-control"] },
];
const copyObject: ActionRequirement[] = [
  { action: "s3:GetObject", variables: { BucketName: (i) => copySource(i)?.bucket, ObjectName: (i) => copySource(i)?.key } },
  ...writeObject,
];

export const s3Authorization: ServiceAuthorization = {
  prefix: "s3",
  variables: { BucketName: "Bucket", ObjectName: "Key" },
  operations: {
    ListBuckets: [{ action: "s3:ListAllMyBuckets" }],
    HeadBucket: [{ action: "s3:ListBucket" }],
    ListObjects: [{ action: "s3:ListBucket" }],
    ListObjectsV2: [{ action: "s3:ListBucket" }],
    ListMultipartUploads: [{ action: "s3:ListBucketMultipartUploads" }],
    DeleteBucketTagging: [{ action: "s3:PutBucketTagging" }],
    GetBucketNotificationConfiguration: [{ action: "s3:GetBucketNotification" }],
    PutBucketNotificationConfiguration: [{ action: "s3:PutBucketNotification" }],
    GetObject: readObject("s3:GetObject"),
    HeadObject: readObject("s3:GetObject"),
    DeleteObject: readObject("s3:DeleteObject"),
    DeleteObjects: [{ action: "s3:DeleteObject", variables: { ObjectName: deletedKeys } }],
    PutObject: writeObject,
    CreateMultipartUpload: writeObject,
    UploadPart: [{ action: "s3:PutObject" }],
    CompleteMultipartUpload: [{ action: "s3:PutObject" }],
    CopyObject: copyObject,
    UploadPartCopy: [copyObject[0]!, { action: "s3:PutObject" }],
    ListParts: [{ action: "s3:ListMultipartUploadParts" }],
    ListObjectVersions: [{ action: "s3:ListBucketVersions" }],
    GetObjectTagging: readObject("s3:GetObjectTagging"),
    PutObjectTagging: readObject("s3:PutObjectTagging"),
    DeleteObjectTagging: readObject("s3:DeleteObjectTagging"),
    GetObjectAcl: readObject("s3:GetObjectAcl"),
    PutObjectAcl: readObject("s3:PutObjectAcl"),
    // GetObjectAttributes needs both the read and the attributes permission (S3 API Reference).
    GetObjectAttributes: [...readObject("s3:GetObject"), ...readObject("s3:GetObjectAttributes")],
    // Bucket sub-resources whose actions are not named after the operation (S3 User Guide, policy actions table).
    GetBucketEncryption: [{ action: "s3:GetEncryptionConfiguration" }],
    PutBucketEncryption: [{ action: "s3:PutEncryptionConfiguration" }],
    DeleteBucketEncryption: [{ action: "s3:PutEncryptionConfiguration" }],
    GetPublicAccessBlock: [{ action: "s3:GetBucketPublicAccessBlock" }],
    PutPublicAccessBlock: [{ action: "s3:PutBucketPublicAccessBlock" }],
    DeletePublicAccessBlock: [{ action: "s3:PutBucketPublicAccessBlock" }],
    DeleteBucketOwnershipControls: [{ action: "s3:PutBucketOwnershipControls" }],
    GetBucketLifecycleConfiguration: [{ action: "s3:GetLifecycleConfiguration" }],
    PutBucketLifecycleConfiguration: [{ action: "s3:PutLifecycleConfiguration" }],
    DeleteBucketLifecycle: [{ action: "s3:PutLifecycleConfiguration" }],
    GetBucketCors: [{ action: "s3:GetBucketCORS" }],
    PutBucketCors: [{ action: "s3:PutBucketCORS" }],
    DeleteBucketCors: [{ action: "s3:PutBucketCORS" }],
    GetBucketReplication: [{ action: "s3:GetReplicationConfiguration" }],
    PutBucketReplication: [{ action: "s3:PutReplicationConfiguration" }],
    DeleteBucketReplication: [{ action: "s3:PutReplicationConfiguration" }],
    GetBucketAccelerateConfiguration: [{ action: "s3:GetAccelerateConfiguration" }],
    PutBucketAccelerateConfiguration: [{ action: "s3:PutAccelerateConfiguration" }],
    GetObjectLockConfiguration: [{ action: "s3:GetBucketObjectLockConfiguration" }],
    PutObjectLockConfiguration: [{ action: "s3:PutBucketObjectLockConfiguration" }],
  },
  conditionKeys: {
    "s3:prefix": "Prefix",
    "s3:delimiter": "Delimiter",
    "s3:max-keys": "MaxKeys",
    "s3:x-amz-acl": "ACL",
    "s3:x-amz-server-side-encryption": "ServerSideEncryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id": "SSEKMSKeyId",
    "s3:versionid": "VersionId",
  },
  recordMembers: { bucketName: "Bucket" },
  generalize: [[/^(arn:aws:s3:::[^/]+)\/.+$/, "$1/*"]],
  denial: { code: "AccessDenied", status: 403, noResource: "omit", quoteResource: true, crossAccountMessage: "Access Denied" },
  source: s3AuthorizationSource,
};

/** A bucket or object ARN: the bucket's owner, its policy, and (for the bucket itself) its tags. */
function s3AuthorizationSource(state: StateView): AuthorizationSource {
  return {
    resource(arn) {
      const path = arn.slice("arn:aws:s3:::".length);
      const name = path.split("/")[0]!;
      const bucket = bucketTable(state).get(name);
      if (!bucket) return undefined;
      return {
        accountId: bucket.ownerAccountId,
        policyKind: "bucket",
        policy: bucket.policy === undefined ? undefined : { document: bucket.policy, name: `the bucket policy of ${bucket.name}` },
        tags: path.includes("/") ? undefined : Object.fromEntries((bucket.tags ?? []).map((t) => [t.Key, t.Value])),
      };
    },
  };
}

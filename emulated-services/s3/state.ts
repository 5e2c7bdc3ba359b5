import type { StateTable, StateView } from "../../src/state/store.js";
import type { ChecksumAlgorithm } from "../../src/protocols/checksums.js";
import type { NotificationConfiguration } from "../../src/generated/types/s3.js";

/**
 * S3's state lives in tables (src/state/journal-table.ts), not in lowdb documents: lowdb rewrites a whole
 * document per write, so a bucket of 100k objects would make every PutObject rewrite megabytes. A table
 * appends one line per change and replays the file at start; concurrent writes share one append, and a
 * call answers only once its line is written, so every 2xx survives kill -9.
 *
 * - `buckets`: every bucket of every account, keyed by name (bucket names are global across accounts).
 * - `objects-<bucket id>`: one table per bucket, keyed by object key (listed in UTF-8 byte order).
 * - `uploads-<bucket id>`: multipart uploads (`u/<uploadId>`) and their parts (`p/<uploadId>/<00001>`).
 * Tables are named by the bucket's generated id, never by a user string.
 */

export const SERVICE = "s3";

export interface StoredTag {
  Key: string;
  Value: string;
}

export interface StoredBucket {
  name: string;
  /** Generated; names the bucket's tables, so a bucket re-created under the same name starts empty. */
  id: string;
  ownerAccountId: string;
  region: string;
  createdAt: string;
  policy?: string;
  tags?: StoredTag[];
  versioning?: "Enabled" | "Suspended";
  /** Sub-resource configurations as given (bucket-settings.ts); null: deleted where S3 has a default. */
  settings?: Partial<Record<BucketSettingName, Record<string, unknown> | null>>;
  /** The bucket's ACL grants; absent: the owner's FULL_CONTROL alone. */
  acl?: StoredGrant[];
  /** PutBucketNotificationConfiguration's configuration, with generated Ids filled in. */
  notification?: NotificationConfiguration;
}

export type BucketSettingName =
  | "encryption"
  | "publicAccessBlock"
  | "ownershipControls"
  | "lifecycle"
  | "cors"
  | "website"
  | "replication"
  | "logging"
  | "accelerate"
  | "requestPayment"
  | "objectLock";

/** An ACL grant as S3 answers it. */
export interface StoredGrant {
  Grantee: { Type: "CanonicalUser" | "AmazonCustomerByEmail" | "Group"; ID?: string; URI?: string; EmailAddress?: string };
  Permission: "FULL_CONTROL" | "WRITE" | "WRITE_ACP" | "READ" | "READ_ACP";
}

/** Checksum of a whole object (FULL_OBJECT) or of a multipart object's part checksums (COMPOSITE). */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64, as the x-amz-checksum-* headers carry it; COMPOSITE values end in `-<parts>`. */
  value: string;
  type: "FULL_OBJECT" | "COMPOSITE";
}


/** What an object's GET and HEAD answer with beside the body. */
export interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  /** The Expires header as the client sent it (S3 keeps the text). */
  expires?: string;
  websiteRedirectLocation?: string;
  /** User metadata, names lower-cased without `x-amz-meta-`. */
  metadata: Record<string, string>;
  serverSideEncryption?: "AES256" | "aws:kms" | "aws:kms:dsse";
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  sseCustomerAlgorithm?: string;
  sseCustomerKeyMd5?: string;
  storageClass?: string;
  tagging?: StoredTag[];
  /** The object's ACL grants; absent: the owner's FULL_CONTROL alone. */
  acl?: StoredGrant[];
}

export interface StoredObject extends ObjectHeaders {
  /** Set once the bucket's versioning was ever enabled (`null` for the null version); absent: never versioned. */
  versionId?: string;
  blobId: string;
  size: number;
  /** Quoted, as S3 sends it: `"<md5>"`, or `"<md5 of part md5s>-<parts>"` for a multipart object. */
  etag: string;
  lastModified: string;
  ownerAccountId: string;
  checksum?: StoredChecksum;
  /** Multipart objects: the parts' sizes, for GetObject's partNumber and x-amz-mp-parts-count. */
  partSizes?: number[];
  /** The blob holds KMS ciphertext bound to this encryption context (sealed-bodies.ts); `size` is the plaintext's. */
  kmsEncryptionContext?: Record<string, string>;
}

export interface StoredUpload extends ObjectHeaders {
  kind: "upload";
  uploadId: string;
  key: string;
  initiated: string;
  ownerAccountId: string;
  /** Initiator ID: the canonical ID for an account's root, the ARN of an IAM user or role session. */
  initiatorId: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
}

export interface StoredPart {
  kind: "part";
  partNumber: number;
  blobId: string;
  size: number;
  etag: string;
  lastModified: string;
  checksum?: StoredChecksum;
}

export const bucketTable = (state: StateView): StateTable<StoredBucket> => state.table<StoredBucket>(SERVICE, "buckets");

export const objectTable = (state: StateView, bucket: StoredBucket): StateTable<StoredObject> => state.table<StoredObject>(SERVICE, `objects-${bucket.id}`);

export const uploadTable = (state: StateView, bucket: StoredBucket): StateTable<StoredUpload | StoredPart> =>
  state.table<StoredUpload | StoredPart>(SERVICE, `uploads-${bucket.id}`);

/**
 * `versions-<bucket id>`: every version and delete marker of a bucket whose versioning was ever enabled,
 * keyed `<key>\u0000<descending sequence>` so a key's versions list newest first right after the key
 * (an S3 key cannot hold U+0000). The objects table keeps the current version of each key for reads.
 */
export type StoredVersion = { kind: "object"; object: StoredObject } | { kind: "marker"; versionId: string; lastModified: string; ownerAccountId: string };

export const versionTable = (state: StateView, bucket: StoredBucket): StateTable<StoredVersion> => state.table<StoredVersion>(SERVICE, `versions-${bucket.id}`);

export const uploadKey = (uploadId: string) => `u/${uploadId}`;
export const partKey = (uploadId: string, partNumber: number) => `p/${uploadId}/${String(partNumber).padStart(5, "0")}`;

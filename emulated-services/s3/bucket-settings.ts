import type { Operations } from "../../src/generated/types/s3.js";
import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { bucketTable, type BucketSettingName, type StoredBucket } from "./state.js";

/**
 * A bucket's sub-resource configurations that S3 stores and answers as given (encryption, public access
 * block, ownership controls, lifecycle, CORS, website, replication, logging, accelerate, request payment,
 * Object Lock): one rule per configuration says which input member holds it, how the Get
 * answers it, what a bucket answers before anything is set (S3's defaults since 2023: SSE-S3 encryption,
 * Block Public Access on, ACLs disabled) and the error S3 answers when there is none.
 */
interface SettingRule {
  setting: BucketSettingName;
  /** The Put's input member that holds the configuration. */
  payload: string;
  /** The Get answers `{ [payload]: configuration }` (wrapped) or the configuration's members (spread). */
  answer: "wrapped" | "spread";
  /** What a bucket answers when the configuration was never set (and after a Delete, unless `missing`). */
  initial?: (bucket: StoredBucket) => Record<string, unknown> | undefined;
  /** The error a bucket without the configuration answers. */
  missing?: (bucket: string) => AwsError;
  /** Checks S3 makes before it stores the configuration. */
  check?: (configuration: Record<string, unknown>, bucket: StoredBucket) => void;
}

const notFound = (code: string, message: string) => (bucket: string) => new AwsError(code, message, { status: 404, fields: { BucketName: bucket } });

const versioningRequired = (what: string) => (_: Record<string, unknown>, bucket: StoredBucket) => {
  if (bucket.versioning !== "Enabled") throw new AwsError("InvalidRequest", `Versioning must be 'Enabled' on the bucket to apply a ${what} configuration`, { status: 400 });
};

export const SETTINGS = {
  encryption: {
    setting: "encryption",
    payload: "ServerSideEncryptionConfiguration",
    answer: "wrapped",
    // Every bucket encrypts new objects with SSE-S3 unless configured otherwise (S3 user guide, default encryption FAQ).
    initial: () => ({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }] }),
  },
  publicAccessBlock: {
    setting: "publicAccessBlock",
    payload: "PublicAccessBlockConfiguration",
    answer: "wrapped",
    // New buckets have all four settings on (April 2023); a Delete leaves none.
    initial: () => ({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }),
    missing: notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"),
  },
  ownershipControls: {
    setting: "ownershipControls",
    payload: "OwnershipControls",
    answer: "wrapped",
    initial: () => ({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] }),
    missing: notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found"),
  },
  lifecycle: {
    setting: "lifecycle",
    payload: "LifecycleConfiguration",
    answer: "spread",
    missing: notFound("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"),
  },
  cors: { setting: "cors", payload: "CORSConfiguration", answer: "spread", missing: notFound("NoSuchCORSConfiguration", "The CORS configuration does not exist") },
  website: {
    setting: "website",
    payload: "WebsiteConfiguration",
    answer: "spread",
    missing: notFound("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"),
  },
  replication: {
    setting: "replication",
    payload: "ReplicationConfiguration",
    answer: "wrapped",
    missing: notFound("ReplicationConfigurationNotFoundError", "The replication configuration was not found"),
    check: versioningRequired("replication"),
  },
  logging: { setting: "logging", payload: "BucketLoggingStatus", answer: "spread", initial: () => ({}) },
  accelerate: { setting: "accelerate", payload: "AccelerateConfiguration", answer: "spread", initial: () => ({}) },
  requestPayment: { setting: "requestPayment", payload: "RequestPaymentConfiguration", answer: "spread", initial: () => ({ Payer: "BucketOwner" }) },
  objectLock: {
    setting: "objectLock",
    payload: "ObjectLockConfiguration",
    answer: "wrapped",
    missing: notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"),
    check: (_, bucket) => {
      if (bucket.versioning !== "Enabled") throw new AwsError("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", { status: 409 });
    },
  },
} satisfies Record<BucketSettingName, SettingRule>;

/** The configuration a bucket has now: the one set, else S3's default, else undefined. */
export function settingOf(bucket: StoredBucket, rule: SettingRule): Record<string, unknown> | undefined {
  const stored = bucket.settings?.[rule.setting];
  if (stored === null) return undefined;
  return stored ?? rule.initial?.(bucket);
}

function store(ctx: CallContext, bucket: StoredBucket, setting: BucketSettingName, value: Record<string, unknown> | null | undefined): void {
  const settings = { ...bucket.settings };
  if (value === undefined) delete settings[setting];
  else settings[setting] = value;
  bucketTable(ctx.state).set(bucket.name, { ...bucket, settings });
}

type Input = Record<string, unknown> & { Bucket: string };

/** Put<Setting>: stores the configuration the request carries, and the Put's header members (with their defaults). */
export function putSetting<K extends keyof Operations>(rule: SettingRule, extra: Record<string, string | undefined> = {}): Op<K> {
  const handler = (input: Input, ctx: CallContext) => {
    const bucket = ownedBucket(ctx, input.Bucket);
    const configuration = (input[rule.payload] ?? {}) as Record<string, unknown>;
    rule.check?.(configuration, bucket);
    const value = { ...configuration };
    for (const [member, fallback] of Object.entries(extra)) if ((input[member] ?? fallback) !== undefined) value[member] = input[member] ?? fallback;
    store(ctx, bucket, rule.setting, value);
  };
  return handler as unknown as Op<K>;
}

/** Get<Setting>: the configuration, S3's default, or S3's "not configured" error. */
export function getSetting<K extends keyof Operations>(rule: SettingRule): Op<K> {
  const handler = (input: Input, ctx: CallContext) => {
    const bucket = ownedBucket(ctx, input.Bucket);
    const value = settingOf(bucket, rule);
    if (value === undefined) {
      if (rule.missing) throw rule.missing(bucket.name);
      return {};
    }
    return rule.answer === "wrapped" ? { [rule.payload]: value } : value;
  };
  return handler as unknown as Op<K>;
}

/** Delete<Setting>: back to no configuration (or to S3's default where the bucket always has one: encryption). */
export function deleteSetting<K extends keyof Operations>(rule: SettingRule): Op<K> {
  const handler = (input: Input, ctx: CallContext) => {
    const bucket = ownedBucket(ctx, input.Bucket);
    store(ctx, bucket, rule.setting, rule.missing && rule.initial ? null : undefined);
  };
  return handler as unknown as Op<K>;
}

/** The bucket's object ownership (BucketOwnerEnforced disables ACLs). */
export function objectOwnership(bucket: StoredBucket): string | undefined {
  const rules = settingOf(bucket, SETTINGS.ownershipControls)?.Rules as { ObjectOwnership?: string }[] | undefined;
  return rules?.[0]?.ObjectOwnership;
}

import type { Caller } from "./caller.js";
import type { StateView } from "../state/store.js";

/**
 * What IAM policy enforcement (src/enforcement/) needs from the services, defined here so the engine never
 * imports a service; app.ts wires the services' implementations in, as it wires credential sources.
 */

/** A stored policy document and how to name it. */
export interface PolicyDocument {
  document: string;
  /** `inline policy <name> of user <user>`, or the managed policy's name. */
  name: string;
  /** Managed policies only. */
  arn?: string;
  /** How IAM's policy simulator names the policy: its name, and user, group, role, aws-managed or user-managed. */
  source?: { id: string; type: string };
}

/** The policies IAM holds for a principal: the user's (inline, managed, its groups') or the role's. */
export interface PrincipalPolicies {
  identity: PolicyDocument[];
  boundary?: PolicyDocument;
  /** aws:PrincipalTag/<key>. */
  tags: Record<string, string>;
}

/** The kinds of resource-based policy evaluated: S3 bucket, KMS key, Lambda function, IAM role trust. */
export type ResourcePolicyKind = "bucket" | "key" | "function" | "trust";

/** What a service knows of one of its resources when a call names it. */
export interface ResourceFacts {
  /** The owning account, when the ARN does not say (S3). */
  accountId?: string;
  /** Resources that can have a resource-based policy say so, with the policy when there is one. */
  policyKind?: ResourcePolicyKind;
  policy?: PolicyDocument;
  /** aws:ResourceTag/<key>. */
  tags?: Record<string, string>;
}

/** A service's knowledge for enforcement: IAM answers for principals, every service for its resources. */
export interface AuthorizationSource {
  /** The policies of an IAM user or role behind a caller (IAM). */
  principalPolicies?(caller: Caller): PrincipalPolicies | undefined;
  /** A managed policy by ARN, AWS managed included (IAM; for session PolicyArns and the simulator). */
  managedPolicy?(arn: string): PolicyDocument | undefined;
  /** A resource of this service by ARN, for an action on it; undefined when it does not exist. */
  resource?(arn: string, action: string): ResourceFacts | undefined;
}

/** Where a resource type's ARN comes from when the catalogue's template and input members do not suffice. */
export interface ArnContext {
  caller: Caller;
  accountId: string;
  region: string;
  state: StateView;
}

/** One IAM action an operation needs (reference/iam-enforcement.md §3.2). */
export interface ActionRequirement {
  action: string;
  /** Needed only when this input member is given (`s3:GetObjectVersion` with VersionId). */
  when?: string;
  /** Needed only when this input member is not given. */
  unless?: string;
  /** Not needed when this input member has this value (s3:PutObjectAcl for the canned ACL bucket-owner-full-control). */
  unlessEquals?: [member: string, value: string];
  /** Resource types to authorize on, when not every type the catalogue lists for the action applies. */
  resourceTypes?: string[];
  /** Template variables for this action only (CopyObject's source object). */
  variables?: Record<string, ArnVariable>;
  /** Resource-type resolvers for this action only (ReEncrypt's source key). */
  resolvers?: ServiceAuthorization["resolvers"];
  /** Condition keys this action adds (`iam:PassedToService` on iam:PassRole). */
  conditionKeys?: Record<string, string>;
}

/** A template variable's source: an input member (a list gives one ARN per item), or code reading the input. */
export type ArnVariable = string | ((input: Record<string, unknown>, ctx: ArnContext) => string | string[] | undefined);

/**
 * How a service's calls are authorized, as data: the IAM prefix, where ARN template variables come from,
 * the operations whose actions are not `<prefix>:<Operation>` alone, the condition keys input members
 * carry, and how the service words a refusal.
 */
export interface ServiceAuthorization {
  prefix: string;
  /** `${BucketName}` <- `Bucket`: the variables of the catalogue's ARN templates. */
  variables: Record<string, ArnVariable>;
  /** Resource types whose ARN needs the service's knowledge (a user's path, an alias's key), by type name. */
  resolvers?: Record<string, (input: Record<string, unknown>, ctx: ArnContext) => string[] | undefined>;
  /** Operations needing other or more actions than `<prefix>:<Operation>`; `[]` for those needing none. */
  operations?: Record<string, ActionRequirement[]>;
  /** Service condition keys, each from an input member (`s3:prefix` <- `Prefix`). */
  conditionKeys?: Record<string, string>;
  /** Input members carrying the tags a request sets (aws:RequestTag/<key>, aws:TagKeys). */
  requestTags?: string[];
  /** requestParameters names that are not the input member's name in lowerCamelCase (S3's `bucketName`). */
  recordMembers?: Record<string, string>;
  /** How generated least-privilege policies widen ARNs, as AWS's policy generation does (objects to `bucket/*`). */
  generalize?: [RegExp, string][];
  /** Operations AWS does not record when they are denied (Lambda Invoke). */
  unrecordedWhenDenied?: string[];
  denial: DenialStyle;
  /** The service's knowledge of principals and resources; built once per emulator with its store. */
  source?: (state: StateView) => AuthorizationSource;
}

/** How a service answers a denied call (reference/iam-enforcement.md §4). */
export interface DenialStyle {
  code: string;
  status: number;
  /** errorCode in the record when it differs (Lambda's AccessDeniedException is recorded AccessDenied). */
  recordedCode?: string;
  /** For actions with no resource type: leave out ` on resource: ...` (EC2, S3, CloudTrail) or say `*`. */
  noResource: "omit" | "star";
  /** S3 quotes the resource ARN. */
  quoteResource?: boolean;
  /** S3 answers a denial across accounts with this text alone. */
  crossAccountMessage?: string;
  /** EC2 starts every denial with this sentence. */
  preamble?: string;
  /** Lambda records a refused call without its requestParameters (Lambda Developer Guide, CloudTrail examples). */
  withoutRequestParameters?: boolean;
  /** EC2 appends an encoded authorization message, except on these operations (name patterns). */
  encodedMessage?: { exceptOperations: RegExp };
}

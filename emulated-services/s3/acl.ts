import type { AccessControlPolicy } from "../../src/generated/types/s3.js";
import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { objectOwnership } from "./bucket-settings.js";
import { invalidArgument, malformedXml } from "./errors.js";
import { canonicalId, ownerOf } from "./owner.js";
import { bucketTable, type StoredBucket, type StoredGrant } from "./state.js";
import { readableObject, updateVersion } from "./versions.js";

/**
 * Access control lists (S3 user guide, "Access control list (ACL) overview"): a canned ACL (x-amz-acl),
 * grant headers (x-amz-grant-read: id="...", uri="..."), or an AccessControlPolicy document, stored as
 * grants and answered as S3 answers them. With ACLs disabled (object ownership BucketOwnerEnforced, the
 * default for new buckets) only an ACL granting the bucket owner full control is accepted.
 */

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";

type Permission = StoredGrant["Permission"];

const user = (accountId: string, permission: Permission): StoredGrant => ({ Grantee: { Type: "CanonicalUser", ID: canonicalId(accountId) }, Permission: permission });
const group = (uri: string, permission: Permission): StoredGrant => ({ Grantee: { Type: "Group", URI: uri }, Permission: permission });

/** The grants of a canned ACL, for a resource owned by `owner` in a bucket owned by `bucketOwner`. */
function cannedGrants(acl: string, owner: string, bucketOwner: string): StoredGrant[] {
  const own = user(owner, "FULL_CONTROL");
  switch (acl) {
    case "private":
    case "aws-exec-read":
      return [own];
    case "public-read":
      return [own, group(ALL_USERS, "READ")];
    case "public-read-write":
      return [own, group(ALL_USERS, "READ"), group(ALL_USERS, "WRITE")];
    case "authenticated-read":
      return [own, group(AUTHENTICATED_USERS, "READ")];
    case "log-delivery-write":
      return [own, group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP")];
    case "bucket-owner-read":
      return owner === bucketOwner ? [own] : [own, user(bucketOwner, "READ")];
    case "bucket-owner-full-control":
      return owner === bucketOwner ? [own] : [own, user(bucketOwner, "FULL_CONTROL")];
    default:
      throw invalidArgument("", "x-amz-acl", acl);
  }
}

const GRANT_HEADERS: [string, Permission][] = [
  ["GrantFullControl", "FULL_CONTROL"],
  ["GrantRead", "READ"],
  ["GrantReadACP", "READ_ACP"],
  ["GrantWrite", "WRITE"],
  ["GrantWriteACP", "WRITE_ACP"],
];

/** `id="<canonical id>", uri="<group>", emailAddress="<address>"`: one grantee per comma-separated item. */
function headerGrants(header: string, permission: Permission, headerName: string): StoredGrant[] {
  return header.split(",").map((item) => {
    const match = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(item);
    if (!match) throw invalidArgument("Argument format not recognized", headerName, item.trim());
    const [, kind, value] = match as unknown as [string, string, string];
    const k = kind.toLowerCase();
    if (k === "uri") return group(value, permission);
    if (k === "id") return { Grantee: { Type: "CanonicalUser", ID: value }, Permission: permission };
    return { Grantee: { Type: "AmazonCustomerByEmail", EmailAddress: value }, Permission: permission };
  });
}

interface AclInput {
  ACL?: string;
  AccessControlPolicy?: AccessControlPolicy;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

/** The grants a request asks for, or undefined when it sets no ACL at all. */
export function requestedGrants(input: AclInput, owner: string, bucketOwner: string): StoredGrant[] | undefined {
  const headers = GRANT_HEADERS.filter(([member]) => input[member as keyof AclInput] !== undefined);
  const ways = [input.ACL !== undefined, headers.length > 0, input.AccessControlPolicy !== undefined].filter(Boolean).length;
  if (ways === 0) return undefined;
  if (input.ACL !== undefined && headers.length > 0) throw new AwsError("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed", { status: 400 });
  if (ways > 1) throw new AwsError("UnexpectedContent", "This request does not support content", { status: 400 });
  if (input.ACL !== undefined) return cannedGrants(input.ACL, owner, bucketOwner);
  if (headers.length > 0) {
    return headers.flatMap(([member, permission]) => headerGrants(input[member as keyof AclInput] as string, permission, `x-amz-${member.replace(/^Grant/, "grant-").toLowerCase()}`));
  }
  return (input.AccessControlPolicy!.Grants ?? []).map((g) => {
    if (!g.Grantee?.Type || !g.Permission) throw malformedXml();
    const { Type, ID, URI, EmailAddress } = g.Grantee;
    return { Grantee: { Type, ID, URI, EmailAddress }, Permission: g.Permission };
  });
}

/** With ACLs disabled, S3 accepts only ACLs that grant the bucket owner full control and nobody anything else. */
export function checkAclsAllowed(bucket: StoredBucket, grants: StoredGrant[]): void {
  if (objectOwnership(bucket) !== "BucketOwnerEnforced") return;
  const ownerId = canonicalId(bucket.ownerAccountId);
  const onlyOwner = grants.every((g) => g.Grantee.Type === "CanonicalUser" && g.Grantee.ID === ownerId && g.Permission === "FULL_CONTROL");
  if (!onlyOwner) throw new AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs", { status: 400 });
}

/** Who owns a written object: with ACLs disabled (BucketOwnerEnforced) the bucket owner, else the writer's account. */
export const objectOwnerOf = (bucket: StoredBucket, ctx: CallContext): string => (objectOwnership(bucket) === "BucketOwnerEnforced" ? bucket.ownerAccountId : ctx.accountId);

/** The grants an object write asks for (x-amz-acl, x-amz-grant-*), checked against the bucket's ownership setting. */
export function objectAclOf(input: AclInput, bucket: StoredBucket, ctx: CallContext): StoredGrant[] | undefined {
  const grants = requestedGrants(input, objectOwnerOf(bucket, ctx), bucket.ownerAccountId);
  if (grants) checkAclsAllowed(bucket, grants);
  return grants;
}

const answer = (owner: string, grants: StoredGrant[] | undefined) => ({ Owner: ownerOf(owner), Grants: grants ?? [user(owner, "FULL_CONTROL")] });

export const getBucketAcl: Op<"GetBucketAcl"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return answer(bucket.ownerAccountId, bucket.acl);
};

export const putBucketAcl: Op<"PutBucketAcl"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const grants = requestedGrants(input, bucket.ownerAccountId, bucket.ownerAccountId);
  if (!grants) throw new AwsError("MissingSecurityHeader", "Your request was missing a required header", { status: 400, fields: { MissingHeaderName: "x-amz-acl" } });
  checkAclsAllowed(bucket, grants);
  bucketTable(ctx.state).set(bucket.name, { ...bucket, acl: grants });
};

export const getObjectAcl: Op<"GetObjectAcl"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const object = readableObject(ctx, bucket, input.Key, input.VersionId);
  return answer(object.ownerAccountId, object.acl);
};

export const putObjectAcl: Op<"PutObjectAcl"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const object = readableObject(ctx, bucket, input.Key, input.VersionId);
  const grants = requestedGrants(input, object.ownerAccountId, bucket.ownerAccountId);
  if (!grants) throw new AwsError("MissingSecurityHeader", "Your request was missing a required header", { status: 400, fields: { MissingHeaderName: "x-amz-acl" } });
  checkAclsAllowed(bucket, grants);
  await updateVersion(ctx, bucket, input.Key, input.VersionId, (o) => ({ ...o, acl: grants }));
  return {};
};

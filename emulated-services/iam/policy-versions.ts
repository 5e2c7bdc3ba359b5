import type { PolicyVersion } from "../../src/generated/types/iam.js";
import { deleteConflict, limitExceeded, noSuchPolicyVersion } from "./errors.js";
import type { ManagedPolicy } from "./managed-policies.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { checkManagedPolicyDocument, requireLocalPolicy, requirePolicy } from "./policies.js";
import { encodePolicyDocument } from "./policy-documents.js";
import type { StoredPolicy, StoredPolicyVersion } from "./state.js";

// A missing policy and a missing version get the same answer: "Policy <arn> version <v> does not exist ...".
const missingVersion = (versionId: string) => (arn: string) => noSuchPolicyVersion(arn, versionId);

/** The versions of a policy, oldest first; of an AWS managed policy only its default version is known here. */
function versionsOf(m: ManagedPolicy): StoredPolicyVersion[] {
  if (m.kind === "local") return m.policy.versions;
  const p = m.policy;
  return [{ versionId: p.defaultVersionId, document: p.document, isDefaultVersion: true, createDate: p.updateDate }];
}

function findVersion(policy: StoredPolicy, versionId: string): StoredPolicyVersion {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) throw noSuchPolicyVersion(policy.arn, versionId);
  return version;
}

const toVersion = (v: StoredPolicyVersion): PolicyVersion => ({ VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: new Date(v.createDate) });

function makeDefault(policy: StoredPolicy, version: StoredPolicyVersion): void {
  for (const v of policy.versions) v.isDefaultVersion = v === version;
}

/** A managed policy keeps at most five versions; numbers keep counting after deletions (v6 after v5 is gone). */
export const createPolicyVersion: Op<"CreatePolicyVersion"> = (input, ctx) => {
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "CreatePolicyVersion");
  checkManagedPolicyDocument(input.PolicyDocument);
  if (policy.versions.length >= 5) {
    throw limitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
  }
  const version: StoredPolicyVersion = {
    versionId: `v${policy.nextVersion}`,
    document: input.PolicyDocument,
    isDefaultVersion: false,
    createDate: ctx.now.toISOString(),
  };
  policy.nextVersion += 1;
  policy.versions.push(version);
  // UpdateDate is when the newest version was created, default or not.
  policy.updateDate = version.createDate;
  if (input.SetAsDefault) makeDefault(policy, version);
  return { PolicyVersion: toVersion(version) };
};

export const getPolicyVersion: Op<"GetPolicyVersion"> = (input, ctx) => {
  const found = requirePolicy(ctx, input.PolicyArn, missingVersion(input.VersionId));
  const version = versionsOf(found).find((v) => v.versionId === input.VersionId);
  if (!version) throw noSuchPolicyVersion(input.PolicyArn, input.VersionId);
  return { PolicyVersion: { Document: encodePolicyDocument(version.document), ...toVersion(version) } };
};

export const listPolicyVersions: Op<"ListPolicyVersions"> = (input, ctx) => {
  const found = requirePolicy(ctx, input.PolicyArn);
  const page = paginate([...versionsOf(found)].reverse(), input.Marker, input.MaxItems);
  return { Versions: page.items.map(toVersion), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const deletePolicyVersion: Op<"DeletePolicyVersion"> = (input, ctx) => {
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "DeletePolicyVersion", missingVersion(input.VersionId));
  const version = findVersion(policy, input.VersionId);
  if (version.isDefaultVersion) throw deleteConflict("Cannot delete the default version of a policy.");
  policy.versions = policy.versions.filter((v) => v !== version);
};

export const setDefaultPolicyVersion: Op<"SetDefaultPolicyVersion"> = (input, ctx) => {
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "SetDefaultPolicyVersion", missingVersion(input.VersionId));
  makeDefault(policy, findVersion(policy, input.VersionId));
};

import type { AttachedPermissionsBoundary } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { invalidInput, noSuchEntity } from "./errors.js";
import { findManagedPolicy } from "./managed-policies.js";

const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\//;

/** A boundary given to CreateUser or CreateRole must be an existing managed policy (InvalidInput / NoSuchEntity otherwise). */
export function checkPermissionsBoundary(ctx: CallContext, arn: string | undefined): void {
  if (arn === undefined) return;
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  if (!findManagedPolicy(ctx, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}

/**
 * The boundary as IAM answers it. The model's enum says PermissionsBoundaryPolicy, but IAM sends (and
 * CloudTrail records) "Policy"; clients pass the string through untouched.
 */
export function toPermissionsBoundary(arn: string | undefined): AttachedPermissionsBoundary | undefined {
  if (arn === undefined) return undefined;
  return { PermissionsBoundaryType: "Policy" as AttachedPermissionsBoundary["PermissionsBoundaryType"], PermissionsBoundaryArn: arn };
}

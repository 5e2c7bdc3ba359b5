import type { CallContext } from "../../src/types/service.js";
import type { Op } from "./op.js";
import { findUser } from "./users.js";

/**
 * The other credentials a user can hold: MFA devices, SSH public keys (CodeCommit), X.509 signing
 * certificates and service-specific credentials. localtrail issues none of them, so each list is empty,
 * but the user named must exist (NoSuchEntity otherwise), as Terraform's aws_iam_user deletion lists all
 * four before DeleteUser. Without a UserName the calling IAM user is meant (IAM API Reference).
 */
function checkUser(ctx: CallContext, userName: string | undefined): void {
  if (userName !== undefined) findUser(ctx, userName);
}

export const listMfaDevices: Op<"ListMFADevices"> = (input, ctx) => {
  checkUser(ctx, input.UserName);
  return { MFADevices: [], IsTruncated: false };
};

export const listVirtualMfaDevices: Op<"ListVirtualMFADevices"> = () => ({ VirtualMFADevices: [], IsTruncated: false });

export const listSshPublicKeys: Op<"ListSSHPublicKeys"> = (input, ctx) => {
  checkUser(ctx, input.UserName);
  return { SSHPublicKeys: [], IsTruncated: false };
};

export const listSigningCertificates: Op<"ListSigningCertificates"> = (input, ctx) => {
  checkUser(ctx, input.UserName);
  return { Certificates: [], IsTruncated: false };
};

export const listServiceSpecificCredentials: Op<"ListServiceSpecificCredentials"> = (input, ctx) => {
  checkUser(ctx, input.UserName);
  return { ServiceSpecificCredentials: [], IsTruncated: false };
};

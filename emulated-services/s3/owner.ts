import { createHash } from "node:crypto";
import type { Owner } from "../../src/generated/types/s3.js";

/**
 * S3 names an account by its canonical user ID (64 hex characters) in Owner, Initiator and ACL grants.
 * Derived from the account id, so it is stable across restarts and the same wherever it appears.
 */
export function canonicalId(accountId: string): string {
  return createHash("sha256").update(`localtrail-canonical-user/${accountId}`).digest("hex");
}

export const ownerOf = (accountId: string): Owner => ({ ID: canonicalId(accountId) });

import type { CallContext } from "../../src/types/service.js";
import { disabled, keyNotFound, notFound, pendingDeletion } from "./errors.js";
import { findKey, keyArn, parseKeyRef } from "./key-ids.js";
import type { StoredKey } from "./state.js";

/**
 * The caller's own key a KeyId member names. Management operations take only a key id or key ARN
 * (`aliases` false) and never reach another account's key ("Cross-account use: No").
 */
export function findOwnKey(ctx: CallContext, value: string, aliases: boolean): StoredKey {
  if (!aliases && parseKeyRef(value, ctx.accountId, ctx.region).kind === "alias") throw notFound(`Invalid keyId ${value}`);
  const key = findKey(ctx.state, value, ctx.accountId, ctx.region, ctx.now, aliases);
  // Another account's key is reachable only where IAM enforcement found its key policy allowing the call.
  if ((key.accountId !== ctx.accountId && !(aliases && ctx.authorized)) || key.region !== ctx.region) throw keyNotFound(keyArn(key.accountId, key.region, key.keyId));
  return key;
}

/** Cryptographic operations need an enabled key (DisabledException, KMSInvalidStateException otherwise). */
export function requireEnabled(key: StoredKey): void {
  if (key.keyState === "Disabled") throw disabled(key.arn);
  if (key.keyState === "PendingDeletion") throw pendingDeletion(key.arn);
}

/** Changing a key (enable, disable, tag, alias) is refused while its deletion is pending. */
export function requireNotPendingDeletion(key: StoredKey): void {
  if (key.keyState === "PendingDeletion") throw pendingDeletion(key.arn);
}

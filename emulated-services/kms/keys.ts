import { randomBytes } from "node:crypto";
import type { CallContext } from "../../src/types/service.js";
import { invalidState, unsupported, validation } from "./errors.js";
import { keyMetadata } from "./key-metadata.js";
import { touchKey } from "./audit.js";
import { findOwnKey, requireNotPendingDeletion } from "./keys-access.js";
import { keyArn, purgeIfDue } from "./key-ids.js";
import type { Op } from "./op.js";
import { page } from "./pagination.js";
import { checkPolicy, defaultKeyPolicy } from "./policies.js";
import { kmsState, type StoredKey } from "./state.js";
import { applyTags } from "./tags.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Only symmetric encryption keys (the default KeySpec) with key material made by KMS are emulated. */
export const createKey: Op<"CreateKey"> = (input, ctx) => {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
  if (spec !== "SYMMETRIC_DEFAULT" || (input.KeyUsage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT") {
    throw unsupported(`localtrail emulates symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT), not ${spec}.`);
  }
  if ((input.Origin ?? "AWS_KMS") !== "AWS_KMS") throw unsupported(`localtrail emulates keys with Origin AWS_KMS only, not ${input.Origin}.`);
  if (input.Policy !== undefined) checkPolicy(input.Policy);
  // Multi-Region keys have ids starting with mrk- (AWS KMS Developer Guide, "Multi-Region key ids").
  const keyId = input.MultiRegion ? `mrk-${ctx.env.ids.hex(32)}` : ctx.env.ids.uuid();
  const key: StoredKey = {
    keyId,
    arn: keyArn(ctx.accountId, ctx.region, keyId),
    accountId: ctx.accountId,
    region: ctx.region,
    creationDate: ctx.now.toISOString(),
    description: input.Description ?? "",
    keyState: "Enabled",
    multiRegion: input.MultiRegion ?? false,
    keyMaterialId: ctx.env.ids.hex(64),
    material: randomBytes(32).toString("base64"),
    policy: input.Policy ?? defaultKeyPolicy(ctx.accountId),
    tags: applyTags([], input.Tags),
  };
  kmsState(ctx).keys[keyId] = key;
  touchKey(input, key);
  return { KeyMetadata: keyMetadata(key) };
};

export const describeKey: Op<"DescribeKey"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, true);
  touchKey(input, key);
  return { KeyMetadata: keyMetadata(key) };
};

/** Every key of the account in the region, pending deletion included. */
export const listKeys: Op<"ListKeys"> = (input, ctx) => {
  const keys = liveKeys(ctx).sort((a, b) => a.creationDate.localeCompare(b.creationDate));
  const p = page(keys, input.Marker, input.Limit);
  return { Keys: p.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: p.Truncated, NextMarker: p.NextMarker };
};

export const enableKey: Op<"EnableKey"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  key.keyState = "Enabled";
};

export const disableKey: Op<"DisableKey"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  key.keyState = "Disabled";
};

export const updateKeyDescription: Op<"UpdateKeyDescription"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  key.description = input.Description;
};

/** The waiting period is 7 to 30 days (default 30); the key is deleted when it ends. */
export const scheduleKeyDeletion: Op<"ScheduleKeyDeletion"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  const days = input.PendingWindowInDays ?? 30;
  const bound = days < 7 ? "greater than or equal to 7" : days > 30 ? "less than or equal to 30" : undefined;
  if (bound) throw validation(`1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${bound}`);
  key.keyState = "PendingDeletion";
  key.pendingWindowInDays = days;
  key.deletionDate = new Date(ctx.now.getTime() + days * DAY_MS).toISOString();
  return { KeyId: key.arn, DeletionDate: new Date(key.deletionDate), KeyState: "PendingDeletion", PendingWindowInDays: days };
};

/** A key whose deletion is cancelled comes back disabled. */
export const cancelKeyDeletion: Op<"CancelKeyDeletion"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  if (key.keyState !== "PendingDeletion") throw invalidState(`${key.arn} is not pending deletion.`);
  key.keyState = "Disabled";
  delete key.deletionDate;
  delete key.pendingWindowInDays;
  return { KeyId: key.arn };
};

function liveKeys(ctx: CallContext): StoredKey[] {
  return Object.values(kmsState(ctx).keys).filter((k) => !purgeIfDue(ctx.state, k, ctx.now));
}

import type { Op } from "./op.js";
import { touchKey } from "./audit.js";
import { disabled, validation } from "./errors.js";
import { findOwnKey, requireNotPendingDeletion } from "./keys-access.js";

/**
 * Automatic key rotation (KMS Developer Guide, "Rotating AWS KMS keys"): off for a new key; when on, every
 * RotationPeriodInDays (90 to 2560, 365 by default) from the day it was enabled. A disabled key cannot have
 * rotation turned on or off; one pending deletion answers KMSInvalidStateException.
 */
const DAY_MS = 86_400_000;

export const getKeyRotationStatus: Op<"GetKeyRotationStatus"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  const rotation = key.rotation;
  return {
    KeyId: key.arn,
    KeyRotationEnabled: rotation !== undefined,
    RotationPeriodInDays: rotation?.periodInDays,
    NextRotationDate: rotation && new Date(Date.parse(rotation.enabledAt) + rotation.periodInDays * DAY_MS),
  };
};

export const enableKeyRotation: Op<"EnableKeyRotation"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  if (key.keyState === "Disabled") throw disabled(key.arn);
  const period = input.RotationPeriodInDays ?? 365;
  if (!Number.isInteger(period) || period < 90 || period > 2560) {
    throw validation(`1 validation error detected: Value '${period}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560`);
  }
  key.rotation = { periodInDays: period, enabledAt: ctx.now.toISOString() };
};

export const disableKeyRotation: Op<"DisableKeyRotation"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  if (key.keyState === "Disabled") throw disabled(key.arn);
  delete key.rotation;
};

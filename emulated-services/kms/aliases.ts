import { own, setEntry } from "../../src/state/own-entries.js";
import { AwsError } from "../../src/types/aws-error.js";
import { alreadyExists, aliasNotFound, validation } from "./errors.js";
import { aliasArn } from "./key-ids.js";
import { touchKey } from "./audit.js";
import { findOwnKey, requireNotPendingDeletion } from "./keys-access.js";
import type { Op } from "./op.js";
import { page } from "./pagination.js";
import { kmsState } from "./state.js";

/** Alias names start with `alias/`; `alias/aws/` is reserved for AWS managed keys. */
function checkAliasName(name: string): void {
  if (!name.startsWith("alias/")) throw validation("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  if (name.startsWith("alias/aws/")) throw new AwsError("InvalidAliasNameException", `Alias ${name} is reserved for AWS managed keys.`);
}

export const createAlias: Op<"CreateAlias"> = (input, ctx) => {
  checkAliasName(input.AliasName);
  const key = findOwnKey(ctx, input.TargetKeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  const kms = kmsState(ctx);
  const arn = aliasArn(ctx.accountId, ctx.region, input.AliasName);
  if (own(kms.aliases, input.AliasName)) throw alreadyExists(`An alias with the name ${arn} already exists`);
  const now = ctx.now.toISOString();
  setEntry(kms.aliases, input.AliasName, { aliasName: input.AliasName, aliasArn: arn, targetKeyId: key.keyId, creationDate: now, lastUpdatedDate: now });
};

export const updateAlias: Op<"UpdateAlias"> = (input, ctx) => {
  checkAliasName(input.AliasName);
  const alias = own(kmsState(ctx).aliases, input.AliasName);
  if (!alias) throw aliasNotFound(aliasArn(ctx.accountId, ctx.region, input.AliasName));
  const key = findOwnKey(ctx, input.TargetKeyId, false);
  touchKey(input, key);
  requireNotPendingDeletion(key);
  alias.targetKeyId = key.keyId;
  alias.lastUpdatedDate = ctx.now.toISOString();
};

export const deleteAlias: Op<"DeleteAlias"> = (input, ctx) => {
  checkAliasName(input.AliasName);
  const kms = kmsState(ctx);
  const alias = own(kms.aliases, input.AliasName);
  if (!alias) throw aliasNotFound(aliasArn(ctx.accountId, ctx.region, input.AliasName));
  const key = kms.keys[alias.targetKeyId];
  if (key) touchKey(input, key);
  delete kms.aliases[input.AliasName];
};

/** The account's aliases in the region, by name; with KeyId, only those of that key. */
export const listAliases: Op<"ListAliases"> = (input, ctx) => {
  let aliases = Object.values(kmsState(ctx).aliases);
  if (input.KeyId !== undefined) {
    const key = findOwnKey(ctx, input.KeyId, false);
    aliases = aliases.filter((a) => a.targetKeyId === key.keyId);
  }
  aliases = aliases.filter((a) => kmsState(ctx).keys[a.targetKeyId]).sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
  const p = page(aliases, input.Marker, input.Limit);
  return {
    Aliases: p.items.map((a) => ({
      AliasName: a.aliasName,
      AliasArn: a.aliasArn,
      TargetKeyId: a.targetKeyId,
      CreationDate: new Date(a.creationDate),
      LastUpdatedDate: new Date(a.lastUpdatedDate),
    })),
    Truncated: p.Truncated,
    NextMarker: p.NextMarker,
  };
};

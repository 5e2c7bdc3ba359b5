import type { AccessKeyMetadata } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { invalidInput, limitExceeded, noSuchEntity, noSuchUser } from "./errors.js";
import { accessKeyId, secretAccessKey } from "./ids.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { iamState, nameKey, type StoredAccessKey } from "./state.js";
import { findUser } from "./users.js";

/** The user a key operation is about: the one named, else the calling IAM user (AWS's rule for the key APIs). */
function targetUserName(ctx: CallContext, userName: string | undefined): string | undefined {
  if (userName !== undefined) return findUser(ctx, userName).userName;
  return ctx.caller.type === "IAMUser" ? ctx.caller.userName : undefined;
}

function findKey(ctx: CallContext, id: string, userName: string | undefined): StoredAccessKey {
  const key = iamState(ctx).accessKeys[id];
  if (!key || (userName !== undefined && nameKey(key.userName) !== nameKey(userName))) {
    throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  }
  return key;
}

const metadata = (k: StoredAccessKey): AccessKeyMetadata => ({
  UserName: k.userName,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: new Date(k.createDate),
});

export const createAccessKey: Op<"CreateAccessKey"> = (input, ctx) => {
  const state = iamState(ctx);
  const userName = targetUserName(ctx, input.UserName);
  // The root's own keys are not modelled; a root call must name the user.
  if (userName === undefined) throw noSuchUser("root");
  if (Object.values(state.accessKeys).filter((k) => nameKey(k.userName) === nameKey(userName)).length >= 2) {
    throw limitExceeded("Cannot exceed quota for AccessKeysPerUser: 2");
  }
  const key: StoredAccessKey = {
    accessKeyId: accessKeyId(ctx.env.ids, ctx.accountId),
    secretAccessKey: secretAccessKey(ctx.env.ids),
    userName,
    status: "Active",
    createDate: ctx.now.toISOString(),
  };
  state.accessKeys[key.accessKeyId] = key;
  return {
    AccessKey: { UserName: userName, AccessKeyId: key.accessKeyId, Status: "Active", SecretAccessKey: key.secretAccessKey, CreateDate: new Date(key.createDate) },
  };
};

export const listAccessKeys: Op<"ListAccessKeys"> = (input, ctx) => {
  const userName = targetUserName(ctx, input.UserName);
  const keys = Object.values(iamState(ctx).accessKeys).filter((k) => userName !== undefined && nameKey(k.userName) === nameKey(userName));
  const page = paginate(keys, input.Marker, input.MaxItems);
  return { AccessKeyMetadata: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const updateAccessKey: Op<"UpdateAccessKey"> = (input, ctx) => {
  // Expired exists in the model's enum for other key kinds; access keys are only Active or Inactive.
  if (input.Status === "Expired") throw invalidInput("Status must be Active or Inactive.");
  findKey(ctx, input.AccessKeyId, targetUserName(ctx, input.UserName)).status = input.Status;
};

export const deleteAccessKey: Op<"DeleteAccessKey"> = (input, ctx) => {
  const key = findKey(ctx, input.AccessKeyId, targetUserName(ctx, input.UserName));
  delete iamState(ctx).accessKeys[key.accessKeyId];
};

/** GetAccessKeyLastUsed: auth records every verified use of a key (see credentials.ts). */
export const getAccessKeyLastUsed: Op<"GetAccessKeyLastUsed"> = (input, ctx) => {
  const key = findKey(ctx, input.AccessKeyId, undefined);
  return {
    UserName: key.userName,
    AccessKeyLastUsed: key.lastUsed
      ? { LastUsedDate: new Date(key.lastUsed.date), ServiceName: key.lastUsed.serviceName, Region: key.lastUsed.region }
      : { ServiceName: "N/A", Region: "N/A" },
  };
};

import type { KeyPairInfo } from "../../src/generated/types/ec2.js";
import { ec2Error, invalidParameterValue, keyPairDuplicate, keyPairFormat, keyPairNotFound } from "./errors.js";
import { applyFilters } from "./filters.js";
import { newId } from "./ids.js";
import { generateKey, readPublicKey } from "./key-material.js";
import type { Op } from "./op.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredKeyPair } from "./state.js";
import { addTags, dropTags, specifiedTags, tagList, tagsOf } from "./tags.js";

/** Key pair names: up to 255 ASCII characters (EC2 API reference, CreateKeyPair). */
function checkName(state: Ec2State, name: string): void {
  if (name.length === 0 || name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) {
    throw invalidParameterValue(`Value (${name}) for parameter keyName is invalid. Key names must be 1-255 ASCII characters.`);
  }
  if (keyByName(state, name)) throw keyPairDuplicate(name);
}

export const keyByName = (state: Ec2State, name: string): StoredKeyPair | undefined => Object.values(state.keyPairs).find((k) => k.keyName === name);

function toKeyPairInfo(state: Ec2State, key: StoredKeyPair, includePublicKey: boolean): KeyPairInfo {
  return {
    KeyPairId: key.keyPairId,
    KeyType: key.keyType,
    Tags: tagList(state, key.keyPairId),
    PublicKey: includePublicKey ? key.publicKey : undefined,
    CreateTime: new Date(key.createTime),
    KeyName: key.keyName,
    KeyFingerprint: key.keyFingerprint,
  };
}

export const createKeyPair: Op<"CreateKeyPair"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkName(state, input.KeyName);
  const type = input.KeyType ?? "rsa";
  const format = input.KeyFormat ?? "pem";
  if (type !== "rsa" && type !== "ed25519") throw invalidParameterValue(`Value (${type}) for parameter keyType is invalid. Valid values are rsa and ed25519.`);
  if (format !== "pem" && format !== "ppk") throw invalidParameterValue(`Value (${format}) for parameter keyFormat is invalid. Valid values are pem and ppk.`);
  const tags = specifiedTags(input.TagSpecifications, "key-pair");
  const generated = generateKey(type, format, input.KeyName);
  const key: StoredKeyPair = {
    keyPairId: newId(ctx, "key"),
    keyName: input.KeyName,
    keyType: type,
    keyFingerprint: generated.fingerprint,
    publicKey: generated.publicKey,
    createTime: ctx.now.toISOString(),
  };
  state.keyPairs[key.keyPairId] = key;
  addTags(state, key.keyPairId, tags);
  return {
    KeyPairId: key.keyPairId,
    KeyName: key.keyName,
    KeyFingerprint: key.keyFingerprint,
    KeyMaterial: generated.keyMaterial,
    Tags: tags.length > 0 ? tagList(state, key.keyPairId) : undefined,
  };
};

export const importKeyPair: Op<"ImportKeyPair"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkName(state, input.KeyName);
  const info = readPublicKey(Buffer.from(input.PublicKeyMaterial));
  if (!info) throw keyPairFormat();
  const tags = specifiedTags(input.TagSpecifications, "key-pair");
  const key: StoredKeyPair = {
    keyPairId: newId(ctx, "key"),
    keyName: input.KeyName,
    keyType: info.keyType,
    keyFingerprint: info.fingerprint,
    publicKey: info.publicKey,
    createTime: ctx.now.toISOString(),
  };
  state.keyPairs[key.keyPairId] = key;
  addTags(state, key.keyPairId, tags);
  return { KeyName: key.keyName, KeyFingerprint: key.keyFingerprint, KeyPairId: key.keyPairId, Tags: tags.length > 0 ? tagList(state, key.keyPairId) : undefined };
};

export const describeKeyPairs: Op<"DescribeKeyPairs"> = (input, ctx) => {
  const state = ec2State(ctx);
  let keys = Object.values(state.keyPairs);
  if (input.KeyNames?.length) {
    const missing = input.KeyNames.find((name) => !keyByName(state, name));
    if (missing !== undefined) throw keyPairNotFound(missing);
    keys = keys.filter((k) => input.KeyNames!.includes(k.keyName));
  }
  if (input.KeyPairIds?.length) {
    const missing = input.KeyPairIds.find((id) => !keys.some((k) => k.keyPairId === id));
    if (missing !== undefined) throw ec2Error("InvalidKeyPair.NotFound", `The key pair ID '${missing}' does not exist`);
    keys = keys.filter((k) => input.KeyPairIds!.includes(k.keyPairId));
  }
  const filtered = applyFilters(
    keys,
    input.Filters,
    {
      "key-pair-id": (k) => k.keyPairId,
      "key-name": (k) => k.keyName,
      fingerprint: (k) => k.keyFingerprint,
      "key-type": (k) => k.keyType,
    },
    (k) => tagsOf(state, k.keyPairId),
  );
  return { KeyPairs: filtered.map((k) => toKeyPairInfo(state, k, input.IncludePublicKey === true)) };
};

/** Deleting a key pair by a name that does not exist succeeds: EC2's DeleteKeyPair is idempotent by name. */
export const deleteKeyPair: Op<"DeleteKeyPair"> = (input, ctx) => {
  const state = ec2State(ctx);
  if (input.KeyName === undefined && input.KeyPairId === undefined) throw ec2Error("MissingParameter", "The request must contain the parameter KeyName or KeyPairId");
  const key =
    input.KeyPairId !== undefined ? Object.values(state.keyPairs).find((k) => k.keyPairId === input.KeyPairId) : keyByName(state, input.KeyName!);
  if (!key && input.KeyPairId !== undefined) throw ec2Error("InvalidKeyPair.NotFound", `The key pair ID '${input.KeyPairId}' does not exist`);
  if (!key) return { Return: true };
  dropTags(state, key.keyPairId);
  delete state.keyPairs[key.keyPairId];
  return { Return: true, KeyPairId: key.keyPairId };
};

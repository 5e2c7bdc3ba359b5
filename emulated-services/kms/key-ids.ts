import { own } from "../../src/state/own-entries.js";
import type { StateView } from "../../src/state/store.js";
import { aliasNotFound, keyNotFound, notFound } from "./errors.js";
import { kmsStateOf, type StoredKey } from "./state.js";

/** The four ways a request names a key (KeyId members): key id, key ARN, alias name, alias ARN. */
export type KeyRef =
  | { kind: "key"; accountId: string; region: string; keyId: string }
  | { kind: "alias"; accountId: string; region: string; aliasName: string };

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
// Regions as the state store accepts them: an ARN naming anything else names no key.
const KEY_ARN = /^arn:aws:kms:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):(alias\/.+)$/;

export const keyArn = (accountId: string, region: string, keyId: string) => `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
export const aliasArn = (accountId: string, region: string, aliasName: string) => `arn:aws:kms:${region}:${accountId}:${aliasName}`;

/** Parses a KeyId member; a bare id or alias name is in the caller's account and region. */
export function parseKeyRef(value: string, accountId: string, region: string): KeyRef {
  const arn = KEY_ARN.exec(value);
  if (arn) return { kind: "key", region: arn[1]!, accountId: arn[2]!, keyId: arn[3]! };
  const alias = ALIAS_ARN.exec(value);
  if (alias) return { kind: "alias", region: alias[1]!, accountId: alias[2]!, aliasName: alias[3]! };
  if (value.startsWith("alias/")) return { kind: "alias", accountId, region, aliasName: value };
  if (KEY_ID.test(value)) return { kind: "key", accountId, region, keyId: value };
  throw notFound(`Invalid keyId ${value}`);
}

/**
 * The key a KeyId member names, as KMS finds it: through an alias when `aliases` allows one, in the
 * ARN's account and region otherwise the caller's. A key whose deletion date has passed is deleted now
 * (AWS deletes it at the end of the waiting period).
 */
export function findKey(state: StateView, value: string, accountId: string, region: string, now: Date, aliases = true): StoredKey {
  const ref = parseKeyRef(value, accountId, region);
  const kms = kmsStateOf(state, ref.accountId, ref.region);
  let keyId: string;
  if (ref.kind === "alias") {
    const alias = aliases ? own(kms.aliases, ref.aliasName) : undefined;
    if (!alias) throw aliasNotFound(aliasArn(ref.accountId, ref.region, ref.aliasName));
    keyId = alias.targetKeyId;
  } else {
    keyId = ref.keyId;
  }
  const key = kms.keys[keyId];
  if (!key || purgeIfDue(state, key, now)) throw keyNotFound(keyArn(ref.accountId, ref.region, keyId));
  return key;
}

/** Deletes a key whose waiting period is over, with its aliases; true when it did. */
export function purgeIfDue(state: StateView, key: StoredKey, now: Date): boolean {
  if (key.keyState !== "PendingDeletion" || !key.deletionDate || new Date(key.deletionDate) > now) return false;
  const kms = kmsStateOf(state, key.accountId, key.region);
  delete kms.keys[key.keyId];
  for (const [name, alias] of Object.entries(kms.aliases)) if (alias.targetKeyId === key.keyId) delete kms.aliases[name];
  return true;
}

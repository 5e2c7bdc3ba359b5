import { formatDate } from "../../src/recorder/shape-record.js";
import type { RecordResource } from "../../src/types/cloudtrail-record.js";
import type { AuditFacts, AuditView } from "../../src/types/service.js";
import type { StoredKey } from "./state.js";

/**
 * How KMS's records differ from the defaults (AWS KMS Developer Guide, "Logging AWS KMS API calls with AWS
 * CloudTrail"): every record names the key in `resources` (type AWS::KMS::Key, aliases too); operations
 * without a response record the key ARN as responseElements.keyId (since December 2022); cryptographic
 * operations are read-only, never record plaintext or ciphertext, and add the key material id.
 */

interface TouchedKey {
  arn: string;
  accountId: string;
  keyMaterialId: string;
}

// The keys each call resolved, by its input object: the record is built from the same call after the
// handler ran, and some keys (an alias's target, a ciphertext's key) appear in neither input nor output.
const touched = new WeakMap<object, TouchedKey[]>();

/** Notes that the call with this input used `key`, for its record's resources. */
export function touchKey(input: object, key: StoredKey): void {
  const list = touched.get(input) ?? [];
  list.push({ arn: key.arn, accountId: key.accountId, keyMaterialId: key.keyMaterialId });
  touched.set(input, list);
}

const keysOf = (call: AuditView<unknown, unknown>): TouchedKey[] => (call.input && typeof call.input === "object" ? (touched.get(call.input) ?? []) : []);

function keyResources(call: AuditView<unknown, unknown>): RecordResource[] {
  return keysOf(call).map((k) => ({ accountId: k.accountId, type: "AWS::KMS::Key", ARN: k.arn }));
}

/** Every KMS record lists the keys the call used. */
export const withKeyResources = <I, O>(facts: AuditFacts<I, O> = {}): AuditFacts<I, O> => ({
  resources: keyResources as AuditFacts<I, O>["resources"],
  ...facts,
});

/** Operations without a response: responseElements.keyId is the key's ARN. */
export const recordsKeyArn = <I, O>(facts: AuditFacts<I, O> = {}): AuditFacts<I, O> =>
  withKeyResources({
    responseElements: (call) => {
      const key = keysOf(call as AuditView<unknown, unknown>).at(-1);
      return key ? { keyId: key.arn } : null;
    },
    ...facts,
  });

/**
 * Alias operations also name the alias, as a resource of type AWS::KMS::Key (as AWS writes it): after the key
 * for CreateAlias, before it for UpdateAlias and DeleteAlias (the KMS Developer Guide's examples).
 */
export const withAliasResource = <I extends { AliasName: string }, O>(aliasFirst: boolean, facts: AuditFacts<I, O>): AuditFacts<I, O> => ({
  ...facts,
  resources: (call) => {
    const keys = keyResources(call as AuditView<unknown, unknown>);
    if (!call.input || keys.length === 0) return keys;
    const alias = { accountId: call.accountId, type: "AWS::KMS::Key", ARN: `arn:aws:kms:${call.region}:${call.accountId}:${call.input.AliasName}` };
    return aliasFirst ? [alias, ...keys] : [...keys, alias];
  },
});

/**
 * Cryptographic operations: read-only events whose requestParameters keep only the key, the context and
 * the algorithm (`build` picks them) and whose additionalEventData names the key material.
 */
export function cryptoAudit<I, O>(build: (input: I, keys: TouchedKey[]) => Record<string, unknown>): AuditFacts<I, O> {
  return withKeyResources<I, O>({
    readOnly: true,
    requestParameters: (call) => (call.input === undefined ? null : build(call.input, keysOf(call as AuditView<unknown, unknown>))),
    additionalEventData: (call) => {
      const key = keysOf(call as AuditView<unknown, unknown>)[0];
      return key && !call.error ? { keyMaterialId: key.keyMaterialId } : undefined;
    },
  });
}

/** KMS's records write dates as current Java does: `Aug 10, 2022, 10:38:27 PM` (UTC). */
export const kmsRecordDate = (d: Date) => formatDate(d, "javaComma") as string;

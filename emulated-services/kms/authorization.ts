import type { ArnContext, AuthorizationSource, ServiceAuthorization } from "../../src/types/authorization.js";
import type { StateView } from "../../src/state/store.js";
import { own } from "../../src/state/own-entries.js";
import { blobKeyArn } from "./ciphertext.js";
import { aliasArn, keyArn, parseKeyRef } from "./key-ids.js";
import { kmsStateOf } from "./state.js";

/**
 * How KMS's calls are authorized (reference/iam-enforcement.md §3.2, KMS Developer Guide "AWS KMS
 * permissions"): every key-taking operation is authorized on the key's ARN whichever way the request names
 * it (key id, key ARN, alias name, alias ARN, or the ciphertext's key for Decrypt); alias operations on both
 * the alias and its key; ReEncrypt is ReEncryptFrom on the source key and ReEncryptTo on the destination.
 * The key policy is the key's resource-based policy, which must allow (§1.4).
 */
type Input = Record<string, unknown>;

/** The key ARN a KeyId-style value names, through an alias when it is one; undefined when nothing matches. */
function keyArnOf(value: unknown, ctx: ArnContext): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  let ref;
  try {
    ref = parseKeyRef(value, ctx.accountId, ctx.region);
  } catch {
    return undefined;
  }
  if (ref.kind === "key") return keyArn(ref.accountId, ref.region, ref.keyId);
  const alias = own(kmsStateOf(ctx.state, ref.accountId, ref.region).aliases, ref.aliasName);
  return alias ? keyArn(ref.accountId, ref.region, alias.targetKeyId) : undefined;
}

const ciphertextKey = (blob: unknown) => (blob instanceof Uint8Array ? blobKeyArn(blob) : undefined);

function keyOfCall(input: Input, ctx: ArnContext): string[] | undefined {
  const arn = keyArnOf(input.KeyId, ctx) ?? keyArnOf(input.TargetKeyId, ctx) ?? keyArnOf(input.AliasName, ctx) ?? ciphertextKey(input.CiphertextBlob);
  return arn ? [arn] : undefined;
}

export const kmsAuthorization: ServiceAuthorization = {
  prefix: "kms",
  variables: {},
  resolvers: {
    key: keyOfCall,
    alias: (input, ctx) => (typeof input.AliasName === "string" ? [aliasArn(ctx.accountId, ctx.region, input.AliasName)] : undefined),
  },
  operations: {
    ReEncrypt: [
      { action: "kms:ReEncryptFrom", resolvers: { key: (input, ctx) => [keyArnOf(input.SourceKeyId, ctx) ?? ciphertextKey(input.CiphertextBlob) ?? "*"] } },
      { action: "kms:ReEncryptTo", resolvers: { key: (input, ctx) => [keyArnOf(input.DestinationKeyId, ctx) ?? "*"] } },
    ],
  },
  requestTags: ["Tags"],
  // Key ids are AWS's, new with every CreateKey: a generated policy names the account's keys.
  generalize: [[/^(arn:aws:kms:[^:]+:\d{12}:key\/).+$/, "$1*"]],
  denial: { code: "AccessDeniedException", status: 400, recordedCode: "AccessDenied", noResource: "star" },
  source: kmsAuthorizationSource,
};

/** A key ARN: its key policy and tags. */
function kmsAuthorizationSource(state: StateView): AuthorizationSource {
  return {
    resource(arn) {
      const m = /^arn:aws:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(arn);
      if (!m) return undefined;
      const key = kmsStateOf(state, m[2]!, m[1]!).keys[m[3]!];
      if (!key) return undefined;
      return {
        policyKind: "key",
        policy: { document: key.policy, name: `the key policy of ${key.keyId}` },
        tags: Object.fromEntries(key.tags.map((t) => [t.TagKey, t.TagValue])),
      };
    },
  };
}

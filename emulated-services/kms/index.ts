import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus } from "./rotation.js";
import type { Operations } from "../../src/generated/types/kms.js";
import { defineService } from "../../src/registry.js";
import { kmsAuthorization } from "./authorization.js";
import { createAlias, deleteAlias, listAliases, updateAlias } from "./aliases.js";
import { cryptoAudit, recordsKeyArn, withAliasResource, withKeyResources } from "./audit.js";
import { decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, reEncrypt } from "./crypto.js";
import { cancelKeyDeletion, createKey, describeKey, disableKey, enableKey, listKeys, scheduleKeyDeletion, updateKeyDescription } from "./keys.js";
import { getKeyPolicy, putKeyPolicy } from "./policies.js";
import { createKeyResponseElements, present, scheduleKeyDeletionResponseElements } from "./records.js";
import { listResourceTags, tagResource, untagResource } from "./tags.js";

const ALGORITHM = "SYMMETRIC_DEFAULT";

/**
 * KMS: the operation table. Records follow the AWS KMS Developer Guide's CloudTrail examples (audit.ts):
 * every record names its keys, cryptographic operations are read-only and never carry plaintext or
 * ciphertext.
 */
export const kms = defineService<Operations>({
  authorization: kmsAuthorization,
  name: "kms",
  eventSource: "kms.amazonaws.com",
  validation: { code: "ValidationException", constraints: true },
  audit: { dateFormat: "java" },
  operations: {
    CreateKey: { handler: createKey, audit: withKeyResources({ responseElements: ({ output }, shaped) => createKeyResponseElements(output, shaped()) }) },
    DescribeKey: { handler: describeKey, audit: withKeyResources() },
    ListKeys: { handler: listKeys },
    EnableKey: { handler: enableKey, audit: recordsKeyArn() },
    DisableKey: { handler: disableKey, audit: recordsKeyArn() },
    GetKeyRotationStatus: { handler: getKeyRotationStatus, audit: recordsKeyArn() },
    EnableKeyRotation: { handler: enableKeyRotation, audit: recordsKeyArn() },
    DisableKeyRotation: { handler: disableKeyRotation, audit: recordsKeyArn() },
    UpdateKeyDescription: { handler: updateKeyDescription, audit: recordsKeyArn() },
    ScheduleKeyDeletion: {
      handler: scheduleKeyDeletion,
      audit: withKeyResources({ responseElements: ({ output }, shaped) => scheduleKeyDeletionResponseElements(output, shaped()) }),
    },
    CancelKeyDeletion: { handler: cancelKeyDeletion, audit: withKeyResources() },

    CreateAlias: { handler: createAlias, audit: withAliasResource(false, recordsKeyArn()) },
    UpdateAlias: { handler: updateAlias, audit: withAliasResource(true, recordsKeyArn()) },
    DeleteAlias: { handler: deleteAlias, audit: withAliasResource(true, recordsKeyArn()) },
    ListAliases: { handler: listAliases },

    Encrypt: {
      handler: encrypt,
      audit: cryptoAudit((input) =>
        present({ encryptionContext: input.EncryptionContext, keyId: input.KeyId, encryptionAlgorithm: input.EncryptionAlgorithm ?? ALGORITHM }),
      ),
    },
    // Decrypt's record names the key the ciphertext was made under, and always the algorithm.
    Decrypt: {
      handler: decrypt,
      audit: cryptoAudit((input, keys) =>
        present({ encryptionAlgorithm: input.EncryptionAlgorithm ?? ALGORITHM, keyId: keys[0]?.arn ?? input.KeyId, encryptionContext: input.EncryptionContext }),
      ),
    },
    GenerateDataKey: {
      handler: generateDataKey,
      audit: cryptoAudit((input) =>
        present({ keyId: input.KeyId, keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes, encryptionContext: input.EncryptionContext }),
      ),
    },
    GenerateDataKeyWithoutPlaintext: {
      handler: generateDataKeyWithoutPlaintext,
      audit: cryptoAudit((input) =>
        present({ keyId: input.KeyId, keySpec: input.KeySpec, numberOfBytes: input.NumberOfBytes, encryptionContext: input.EncryptionContext }),
      ),
    },
    ReEncrypt: {
      handler: reEncrypt,
      audit: cryptoAudit((input) =>
        present({
          sourceEncryptionAlgorithm: input.SourceEncryptionAlgorithm ?? ALGORITHM,
          sourceEncryptionContext: input.SourceEncryptionContext,
          destinationKeyId: input.DestinationKeyId,
          destinationEncryptionAlgorithm: input.DestinationEncryptionAlgorithm ?? ALGORITHM,
          destinationEncryptionContext: input.DestinationEncryptionContext,
        }),
      ),
    },

    GetKeyPolicy: { handler: getKeyPolicy, audit: withKeyResources() },
    PutKeyPolicy: { handler: putKeyPolicy, audit: recordsKeyArn() },
    TagResource: { handler: tagResource, audit: recordsKeyArn() },
    UntagResource: { handler: untagResource, audit: recordsKeyArn() },
    ListResourceTags: { handler: listResourceTags, audit: withKeyResources() },
  },
});

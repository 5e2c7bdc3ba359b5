import type { KeyMetadata } from "../../src/generated/types/kms.js";
import type { StoredKey } from "./state.js";

/** KeyMetadata of a symmetric encryption key, member for member as CreateKey and DescribeKey return it. */
export function keyMetadata(key: StoredKey): KeyMetadata {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.creationDate),
    Enabled: key.keyState === "Enabled",
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: key.keyState,
    DeletionDate: key.deletionDate ? new Date(key.deletionDate) : undefined,
    Origin: "AWS_KMS",
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: key.multiRegion,
    MultiRegionConfiguration: key.multiRegion
      ? { MultiRegionKeyType: "PRIMARY", PrimaryKey: { Arn: key.arn, Region: key.region }, ReplicaKeys: [] }
      : undefined,
    PendingDeletionWindowInDays: key.pendingWindowInDays,
    CurrentKeyMaterialId: key.keyMaterialId,
  };
}

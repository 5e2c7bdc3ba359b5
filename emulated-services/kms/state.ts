import type { StateView } from "../../src/state/store.js";
import type { CallContext } from "../../src/types/service.js";

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";

export interface StoredTag {
  TagKey: string;
  TagValue: string;
}

/** A symmetric encryption key (SYMMETRIC_DEFAULT) with its AES-256 key material. */
export interface StoredKey {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  creationDate: string;
  description: string;
  keyState: KeyState;
  multiRegion: boolean;
  /** 64 hex characters: KeyMetadata.CurrentKeyMaterialId, and keyMaterialId in crypto records. */
  keyMaterialId: string;
  /** The AES-256 key material, base64 (the state is JSON). */
  material: string;
  policy: string;
  tags: StoredTag[];
  deletionDate?: string;
  pendingWindowInDays?: number;
  /** Automatic rotation, when enabled: the period and when it was turned on (the next rotation counts from there). */
  rotation?: { periodInDays: number; enabledAt: string };
}

export interface StoredAlias {
  aliasName: string;
  aliasArn: string;
  targetKeyId: string;
  creationDate: string;
  lastUpdatedDate: string;
}

/** One account's KMS in one region: keys by key id, aliases by name (`alias/...`). */
export interface KmsState {
  keys: Record<string, StoredKey>;
  aliases: Record<string, StoredAlias>;
}

export const kmsStateOf = (state: StateView, accountId: string, region: string): KmsState =>
  state.get<KmsState>("kms", accountId, region, () => ({ keys: {}, aliases: {} }));

export const kmsState = (ctx: CallContext): KmsState => kmsStateOf(ctx.state, ctx.accountId, ctx.region);

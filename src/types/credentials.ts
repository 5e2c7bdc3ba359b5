import type { Caller } from "./caller.js";

/**
 * What auth needs from the services that own access keys (IAM for AKIA keys, STS for ASIA keys): the secret
 * to check a signature with, and the caller the key stands for. Defined here so the engine never imports a
 * service; app.ts wires the services' implementations in.
 */
export interface ResolvedCredential {
  secretAccessKey: string;
  caller: Caller;
  /** Temporary credentials must be presented with their session token. */
  sessionToken?: string;
  expiresAt?: Date;
  /**
   * Whether the key may be used for this call at all; when not, auth answers InvalidClientTokenId as AWS does
   * (GetSessionToken's credentials without MFA cannot call IAM).
   */
  accepts?: (call: { service: string; operation: string }) => boolean;
  /** Called once a signature made with this key has been verified (IAM's GetAccessKeyLastUsed). */
  markUsed?: (use: { service: string; region: string; at: Date }) => void;
}

export interface CredentialSource {
  /** Returns undefined when this source does not know the key. */
  findCredential(accessKeyId: string): ResolvedCredential | undefined;
  /** The account's alias, if this source keeps aliases (IAM) and the account has one. */
  accountAlias?(accountId: string): string | undefined;
}

import type { CredentialSource, ResolvedCredential } from "../types/credentials.js";

/** The account the default key `test` belongs to (runtime contract). */
export const DEFAULT_ACCOUNT = "000000000000";
export const DEFAULT_SECRET = "test";

/**
 * Access key -> credential, by the runtime contract: `test` is the root of 000000000000, a 12-digit key is
 * the root of that account (both with secret `test`), and every other key must be one a service issued
 * (IAM CreateAccessKey, STS temporary credentials).
 */
export class CredentialResolver {
  constructor(private readonly sources: () => CredentialSource[]) {}

  find(accessKeyId: string): ResolvedCredential | undefined {
    const found = this.findIssued(accessKeyId);
    return found && this.withAlias(found);
  }

  /** With --no-verify an unknown key still needs an identity: the root of the default account. */
  findOrDefault(accessKeyId: string): ResolvedCredential {
    return this.find(accessKeyId) ?? this.withAlias(root(DEFAULT_ACCOUNT, accessKeyId));
  }

  private findIssued(accessKeyId: string): ResolvedCredential | undefined {
    if (accessKeyId === "test") return root(DEFAULT_ACCOUNT, accessKeyId);
    if (/^\d{12}$/.test(accessKeyId)) return root(accessKeyId, accessKeyId);
    for (const source of this.sources()) {
      const found = source.findCredential(accessKeyId);
      if (found) return found;
    }
    return undefined;
  }

  /** A root caller carries its account's alias, which its records show as userName. */
  private withAlias(found: ResolvedCredential): ResolvedCredential {
    if (found.caller.type !== "Root") return found;
    const alias = this.sources()
      .map((s) => s.accountAlias?.(found.caller.accountId))
      .find((a) => a !== undefined);
    return alias === undefined ? found : { ...found, caller: { ...found.caller, accountAlias: alias } };
  }
}

function root(accountId: string, accessKeyId: string): ResolvedCredential {
  return { secretAccessKey: DEFAULT_SECRET, caller: { type: "Root", accountId, accessKeyId } };
}

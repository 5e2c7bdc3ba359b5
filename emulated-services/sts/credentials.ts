import type { CredentialSource } from "../../src/types/credentials.js";
import type { Caller } from "../../src/types/caller.js";
import type { StateStore } from "../../src/state/store.js";
import type { StsState } from "./state.js";

/** Lets auth resolve calls signed with temporary credentials (ASIA... keys) that STS issued. */
export function stsCredentials(store: StateStore): CredentialSource {
  return {
    findCredential(accessKeyId) {
      if (!accessKeyId.startsWith("ASIA")) return undefined;
      for (const { value: sts } of store.all<StsState>("sts")) {
        const session = sts.sessions[accessKeyId];
        if (!session) continue;
        const caller = revive(session.caller);
        return {
          secretAccessKey: session.secretAccessKey,
          sessionToken: session.sessionToken,
          expiresAt: new Date(session.expiration),
          caller,
          accepts: withoutMfa(caller) ? ({ service }) => service !== "iam" : undefined,
        };
      }
      return undefined;
    },
  };
}

/** State documents hold JSON: the session's creation time comes back as a string. */
function revive(caller: Caller): Caller {
  return caller.session ? { ...caller, session: { ...caller.session, createdAt: new Date(caller.session.createdAt) } } : caller;
}

/**
 * GetSessionToken's credentials made without MFA: AWS refuses them every IAM call ("You cannot call any IAM API
 * operations unless MFA authentication information is included in the request", STS API Reference,
 * GetSessionToken) with InvalidClientTokenId. The console's sessions are not GetSessionToken's.
 */
function withoutMfa(caller: Caller): boolean {
  return caller.type !== "AssumedRole" && caller.session !== undefined && !caller.session.mfaAuthenticated && !caller.session.fromConsole;
}

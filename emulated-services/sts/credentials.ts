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
        return {
          secretAccessKey: session.secretAccessKey,
          sessionToken: session.sessionToken,
          expiresAt: new Date(session.expiration),
          caller: revive(session.caller),
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

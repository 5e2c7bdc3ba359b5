import type { StateStore } from "../../src/state/store.js";
import type { ServiceEnv } from "../../src/types/service.js";
import type { SignInBackend } from "../../src/types/sign-in.js";
import { issueSession } from "./sessions.js";

/**
 * STS's part of console sign-in: the temporary credentials a console session calls AWS with ("IAM users in
 * the console unknowingly use temporary credentials"), kept with the other sessions so auth resolves them,
 * and marked so their records end with sessionCredentialFromConsole "true" (reference/console.md §4.1).
 */
export function stsSignIn({ store, env }: { store: StateStore; env: ServiceEnv }): Partial<SignInBackend> {
  return {
    async issueConsoleCredentials(caller, durationSeconds) {
      const now = env.now();
      const touched = new Set<string>();
      const session = issueSession(store.view(touched), env.ids, { ...caller, session: { ...(caller.session ?? { createdAt: now, mfaAuthenticated: false }), fromConsole: true } }, now, durationSeconds);
      await store.persist(touched);
      return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiration: new Date(session.expiration) };
    },
  };
}

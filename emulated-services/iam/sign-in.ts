import type { StateStore } from "../../src/state/store.js";
import type { ServiceEnv } from "../../src/types/service.js";
import type { SignInBackend } from "../../src/types/sign-in.js";
import { iamStateOf, nameKey, type IamState } from "./state.js";
import { passwordMatches } from "./passwords.js";

/**
 * IAM's part of console sign-in: an IAM user's password checked against its login profile (a user without
 * one cannot sign in: "Failed authentication" like a wrong password), and accounts named by their alias.
 */
export function iamSignIn({ store, env }: { store: StateStore; env: ServiceEnv }): Partial<SignInBackend> {
  const account = (accountId: string): IamState | undefined => {
    for (const doc of store.all<IamState>("iam")) if (doc.accountId === accountId) return doc.value;
    return undefined;
  };
  return {
    accountOfAlias(alias) {
      for (const doc of store.all<IamState>("iam")) if (doc.value.accountAliases.includes(alias)) return doc.accountId;
      return undefined;
    },
    async checkUserPassword(accountId, userName, password) {
      // IAM names are unique regardless of case; the records name the user as IAM spells it.
      const user = account(accountId)?.users[nameKey(userName)];
      if (!user) return { outcome: "unknownUser" };
      if (!user.loginProfile || !(await passwordMatches(password, user.loginProfile.passwordHash))) {
        return { outcome: "wrongPassword", user: { userName: user.userName, userId: user.userId } };
      }
      // The sign-in is the password's last use (ListUsers' PasswordLastUsed, the console's "Last activity").
      const touched = new Set<string>();
      iamStateOf(store.view(touched), accountId);
      user.passwordLastUsed = env.now().toISOString();
      await store.persist(touched);
      return { outcome: "success", user: { userName: user.userName, userId: user.userId, arn: user.arn } };
    },
  };
}

import type { CredentialSource } from "../../src/types/credentials.js";
import type { StateStore } from "../../src/state/store.js";
import type { IamState } from "./state.js";
import { nameKey } from "./state.js";

/** Lets auth find the secret and the user behind an access key that IAM CreateAccessKey issued, in any account. */
export function iamCredentials(store: StateStore): CredentialSource {
  return {
    findCredential(accessKeyId) {
      if (!accessKeyId.startsWith("AKIA")) return undefined;
      for (const { accountId, value: iam } of store.all<IamState>("iam")) {
        const key = iam.accessKeys[accessKeyId];
        if (!key || key.status !== "Active") continue;
        const user = iam.users[nameKey(key.userName)];
        if (!user) continue;
        return {
          secretAccessKey: key.secretAccessKey,
          caller: { type: "IAMUser", accountId, accessKeyId, userName: user.userName, userId: user.userId, arn: user.arn },
          markUsed: ({ service, region, at }) => {
            key.lastUsed = { date: at.toISOString(), serviceName: service, region };
          },
        };
      }
      return undefined;
    },
    accountAlias(accountId) {
      for (const account of store.all<IamState>("iam")) if (account.accountId === accountId) return account.value.accountAliases[0];
      return undefined;
    },
  };
}

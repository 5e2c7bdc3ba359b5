import type { CallerWithoutKey } from "./caller.js";

/** An IAM user's console password checked against its login profile. */
export type PasswordCheck =
  | { outcome: "success"; user: { userName: string; userId: string; arn: string } }
  /** The user exists but the password is wrong (or the user has no console password): the record keeps its id. */
  | { outcome: "wrongPassword"; user: { userName: string; userId: string } }
  /** No such user: the record hides the name typed (it may be a password). */
  | { outcome: "unknownUser" };

/** Temporary credentials issued for a console session (kept by STS, so auth resolves the key). */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * What console sign-in needs from the services that own identities, defined here so the console never
 * imports a service: IAM checks passwords and names accounts by alias, STS issues the session's temporary
 * credentials. app.ts merges each service's part (ServiceDefinition.signIn).
 */
export interface SignInBackend {
  /** The account an account alias names, if any account has that alias. */
  accountOfAlias(alias: string): string | undefined;
  /** Checks an IAM user's console password; a successful check is the password's last use. */
  checkUserPassword(accountId: string, userName: string, password: string): Promise<PasswordCheck>;
  /** Issues temporary credentials for a principal, marked as made by the console for it. */
  issueConsoleCredentials(caller: CallerWithoutKey, durationSeconds: number): Promise<IssuedCredentials>;
}

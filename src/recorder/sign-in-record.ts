import type { KeyedCaller } from "../types/caller.js";
import type { CloudTrailRecord, UserIdentity } from "../types/cloudtrail-record.js";
import type { StoredEvent } from "../event-log/event-history.js";
import { isoSeconds } from "../protocols/timestamps.js";
import { EVENT_VERSION } from "./build-record.js";
import { userIdentity } from "./user-identity.js";

/** Who a sign-in event is about, in the cases whose userIdentity AWS writes differently (reference/console.md §1.3). */
export type SignInSubject =
  /** The principal that signed in (or, for GetSigninToken, whose credentials were presented). */
  | { kind: "principal"; caller: KeyedCaller }
  /** An IAM user who gave a wrong password: no arn, an empty access key. */
  | { kind: "rejectedUser"; accountId: string; userName: string; userId: string }
  /** A user name the account does not have: hidden, since people type passwords into that box. */
  | { kind: "unknownUser"; accountId: string }
  | { kind: "rejectedRoot"; accountId: string };

export interface SignInEvent {
  eventName: "ConsoleLogin" | "GetSigninToken";
  subject: SignInSubject;
  /** Root sign-ins are always us-east-1; IAM users' follow the sign-in endpoint (console.md §1.2). */
  region: string;
  sourceIp: string;
  userAgent?: string;
  success: boolean;
  /** AWS's wording: "Failed authentication", "No username found in supplied account". */
  errorMessage?: string;
  additionalEventData?: Record<string, unknown>;
  /** The Host the client sent to the sign-in endpoint. */
  host: string;
  eventTime: Date;
  eventId: string;
}

export const HIDDEN_USER_NAME = "HIDDEN_DUE_TO_SECURITY_REASONS";

/**
 * The record of a sign-in event (eventType AwsConsoleSignIn), in AWS's key order: requestParameters null,
 * responseElements {"<eventName>":"Success"|"Failure"}, no requestID, no errorCode for a failed password,
 * tlsDetails last. Pure: the time and id are given.
 */
export function signInRecord(e: SignInEvent): StoredEvent {
  const identity = signInIdentity(e.subject, e.eventName);
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: identity,
    eventTime: isoSeconds(e.eventTime),
    eventSource: "signin.amazonaws.com",
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: e.sourceIp,
    ...(e.userAgent !== undefined && { userAgent: e.userAgent.slice(0, 1024) }),
    ...(e.errorMessage !== undefined && { errorMessage: e.errorMessage }),
    requestParameters: null,
    responseElements: { [e.eventName]: e.success ? "Success" : "Failure" },
    ...(e.additionalEventData && { additionalEventData: e.additionalEventData }),
    eventID: e.eventId,
    readOnly: false,
    eventType: "AwsConsoleSignIn",
    managementEvent: true,
    recipientAccountId: identity.accountId!,
    eventCategory: "Management",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: e.host },
  };
  return { record, lookupResources: [] };
}

function signInIdentity(subject: SignInSubject, eventName: SignInEvent["eventName"]): UserIdentity {
  switch (subject.kind) {
    case "principal": {
      const caller = subject.caller;
      // A root or IAM user signs in with a password, not a key: the root's ConsoleLogin shows an empty key, a
      // user's none; an assumed role's ConsoleLogin has none, its GetSigninToken the key that was presented.
      if (caller.type === "Root") return rootIdentity(caller.accountId);
      if (caller.type === "IAMUser") return { type: "IAMUser", principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, userName: caller.userName };
      const full = userIdentity(caller);
      if (eventName === "GetSigninToken") return full;
      const { accessKeyId: _key, ...withoutKey } = full;
      return withoutKey;
    }
    case "rejectedUser":
      return { type: "IAMUser", principalId: subject.userId, accountId: subject.accountId, accessKeyId: "", userName: subject.userName };
    case "unknownUser":
      return { type: "IAMUser", accountId: subject.accountId, accessKeyId: "", userName: HIDDEN_USER_NAME };
    case "rejectedRoot":
      return rootIdentity(subject.accountId);
  }
}

/** Root sign-ins, successful or not; real records carry the account ID as principalId. */
const rootIdentity = (accountId: string): UserIdentity => ({ type: "Root", principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId: "" });

/**
 * Appends a sign-in event to the history the way the recorder appends a call's record, so LookupEvents,
 * trails and every sink see it; resolves once it is durable.
 */
export async function recordSignIn(history: { append(event: StoredEvent): Promise<void> }, event: SignInEvent): Promise<void> {
  await history.append(signInRecord(event));
}

import type { InsightDetails } from "./insights.js";

/**
 * A CloudTrail event record, field for field as AWS writes it (reference/cloudtrail.md §2). Key order of an
 * object literal is the order of the serialised record, so build-record.ts writes fields in AWS's order.
 */
export interface SessionIssuer {
  type: "Role" | "IAMUser" | "Root";
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
}

export interface SessionContext {
  /** Empty ({}) for the session credentials of a user or the root. */
  sessionIssuer?: SessionIssuer | Record<string, never>;
  webIdFederationData?: Record<string, unknown>;
  attributes: { creationDate: string; mfaAuthenticated: "true" | "false" };
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: string;
  /** SAMLUser and WebIdentityUser: the provider that vouched for the caller. */
  identityProvider?: string;
}

export interface RecordResource {
  accountId?: string;
  type: string;
  ARN?: string;
  /** S3 listings name the objects of a bucket by prefix instead (`arn:aws:s3:::bucket/`). */
  ARNPrefix?: string;
}

export type EventCategory = "Management" | "Data" | "Insight";

export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  /** Absent from sign-in events (ConsoleLogin, GetSigninToken), which answer no API request. */
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: RecordResource[];
  eventType: string;
  apiVersion?: string;
  managementEvent: boolean;
  recipientAccountId: string;
  sharedEventID?: string;
  /** Insights events only (eventCategory Insight), which carry none of a call's fields: see InsightRecord. */
  insightDetails?: InsightDetails;
  eventCategory: EventCategory;
  /** The TLS connection of the client; sign-in events carry it (reference/console.md §1.1). */
  tlsDetails?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  /** The string "true", last in the record, when console-made session credentials signed the call. */
  sessionCredentialFromConsole?: "true";
}

/** A resource as LookupEvents shows it (its ResourceType/ResourceName attributes). */
export interface LookupResource {
  type: string;
  name: string;
}

/**
 * An Insights event as AWS writes it (reference/cloudtrail.md §9): no userIdentity, eventSource, eventName,
 * sourceIPAddress or userAgent at the top level; the analysed API is named inside insightDetails.
 */
export interface InsightRecord {
  eventVersion: string;
  eventTime: string;
  awsRegion: string;
  eventID: string;
  eventType: "AwsCloudTrailInsight";
  recipientAccountId: string;
  sharedEventID: string;
  insightDetails: InsightDetails;
  eventCategory: "Insight";
}

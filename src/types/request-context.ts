import type { Readable } from "node:stream";
import type { AwsError } from "./aws-error.js";
import type { Caller } from "./caller.js";
import type { OperationModel, ServiceModel } from "./model.js";
import type { RegisteredService } from "./service.js";
import type { Codec } from "./codec.js";

/** How a request was authenticated; S3 records both in additionalEventData. */
export interface AuthFacts {
  signatureVersion: "SigV4" | "SigV2" | "none";
  method: "AuthHeader" | "QueryString" | "none";
  /** The credential scope's region, which is the region the client called. */
  scopeRegion?: string;
}

/** The raw request as the client sent it; signatures and S3 keys need the bytes untouched. */
export interface RawRequest {
  method: string;
  /** The request target exactly as received (`/bkt/a%2Fb/../c?x=1`), never normalised. */
  target: string;
  path: string;
  /** The raw query string without the leading `?`. */
  query: string;
  /** Lower-case header names; repeated headers joined with "," as SigV4 canonicalisation wants. */
  headers: Record<string, string>;
  sourceIp: string;
}

/**
 * The one context every pipeline step reads and fills, in the order of src/pipeline.ts. A field is set by
 * exactly one step; the recorder reads them all after the handler ran.
 */
/**
 * Who acts in a call made inside the emulator rather than over HTTP: a principal by its credentials (the
 * console, with the signed-in principal's session), or an AWS service acting on its own in an account.
 */
/**
 * Who makes a call inside the emulator. A service acting for a resource of the account names it as
 * `sourceArn` (the EventBridge rule, the bucket, the log group): resource policies read it as aws:SourceArn.
 */
export type InternalIdentity = { accessKeyId: string } | { service: string; accountId: string; sourceArn?: string };

export interface Call {
  requestId: string;
  /** Set for a call made inside the emulator: no HTTP request, its input given (src/internal-calls.ts). */
  internal?: InternalIdentity;
  receivedAt: Date;
  raw: RawRequest;
  /** Buffered body for every operation whose input is not a streaming payload. */
  body?: Buffer;
  /** The unread request stream, for streaming payloads (S3 PutObject). */
  bodyStream?: Readable;
  /** Set when the answer goes out before the body was read to its end (too large): the connection must close. */
  bodyAbandoned?: boolean;

  service?: RegisteredService;
  model?: ServiceModel;
  codec?: Codec;
  operation?: OperationModel;
  /** REST protocols: the path labels of the matched route (`{Bucket}`, `{Key+}`), decoded once. */
  pathLabels?: Record<string, string>;

  auth?: AuthFacts;
  caller?: Caller;
  /** The region the call is served in: the credential scope's region, else the configured default. */
  region: string;

  input?: unknown;
  /** Set by IAM enforcement (when on): the policies allowed the call. */
  authorized?: boolean;
  /** Soft enforcement: the refusal enforcement would have answered, written into the record. */
  softDenial?: { errorCode: string; errorMessage: string };
  /** A call AWS does not record (a denied Lambda Invoke). */
  unrecorded?: boolean;
  output?: unknown;
  error?: AwsError;
  /** State documents the handler touched; a mutating call waits for them to be written. */
  touchedState: Set<string>;
}

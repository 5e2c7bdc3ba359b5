import type { AwsError } from "./aws-error.js";
import type { Caller, WebIdentityCaller } from "./caller.js";
import type { EventCategory, LookupResource, RecordResource } from "./cloudtrail-record.js";
import type { CredentialSource } from "./credentials.js";
import type { SignInBackend } from "./sign-in.js";
import type { ServiceAuthorization } from "./authorization.js";
import type { AuthFacts, RawRequest } from "./request-context.js";
import type { ServiceModel } from "./model.js";
import type { Codec } from "./codec.js";
import type { StateStore, StateView } from "../state/store.js";
import type { EventHistory } from "../event-log/event-history.js";
import type { SqlEngine } from "../query/sql-engine.js";
import type { BlobStore } from "../state/blob-store.js";
import type { Config } from "../config.js";
import type { Clock } from "../clock.js";
import type { InvokeInternal } from "../internal-calls.js";
import type { InsightsScope } from "./insights.js";
import type { ObjectReader } from "./object-reader.js";
import type { WebIdentityIssuer } from "./web-identity.js";

/** Unique ids and the clock, injectable so tests and goldens are deterministic. */
export interface Ids {
  uuid(): string;
  /** `length` characters from A-Z and 0-9 (IAM unique ids, access key ids). */
  upperAlnum(length: number): string;
  /** `length` lowercase hex characters (EC2 resource ids). */
  hex(length: number): string;
  /** `length` characters from A-Z, a-z and 0-9 (secrets, CloudTrail file names). */
  alnum(length: number): string;
}

/** What the engine offers every handler beside its input. */
export interface ServiceEnv {
  ids: Ids;
  /** Emulated time: `clock.now()`. */
  now: () => Date;
  /** The emulated clock, for runtimes that wait for emulated time (its moves are announced). */
  clock: Clock;
  /**
   * Calls another operation through the pipeline, recorded like any call: how a service acts on its own
   * (`as: { service: "lambda.amazonaws.com", accountId }`) or on a principal's credentials.
   */
  invoke: InvokeInternal;
  /** Event history, for CloudTrail's LookupEvents. */
  events: EventHistory;
  /** SQL over the history (CloudTrail Lake's queries). */
  sql: SqlEngine;
  /** Files named by generated ids inside the data dir (object bodies, function code). */
  blobs: BlobStore;
  /** The emulator's own endpoint, e.g. http://127.0.0.1:4566 (for code that calls back into it). */
  endpoint: string;
  /** The data dir, for files a service keeps beside its state (Lambda's unpacked code); undefined when ephemeral. */
  dataDir?: string;
  /** The emulator's settings (trail delivery and digest intervals, default region, ...). */
  config: Config;
  /** localtrail's own OIDC issuer, whose tokens AssumeRoleWithWebIdentity verifies by signature. */
  webIdentityIssuer: WebIdentityIssuer;
}

export interface CallContext {
  requestId: string;
  caller: Caller;
  /** The caller's account: every resource a call touches belongs to it. */
  accountId: string;
  /** The region called (the credential scope's region). */
  region: string;
  now: Date;
  state: StateView;
  request: RawRequest;
  auth: AuthFacts;
  env: ServiceEnv;
  /**
   * True when IAM enforcement evaluated the call and the policies allowed it: a resource of another account
   * that a resource-based policy opened to the caller is then served rather than refused by ownership.
   */
  authorized?: boolean;
  /**
   * An unsigned operation's handler names its caller once the token it was given is read (the record's
   * userIdentity and account); until then the caller is anonymous and the call is not recorded.
   */
  identifyCaller(caller: WebIdentityCaller): void;
}

/** Everything the recorder knows about one call when it builds the record. */
export interface AuditView<I, O> {
  input: I | undefined;
  output: O | undefined;
  error: AwsError | undefined;
  caller: Caller;
  accountId: string;
  region: string;
  requestId: string;
  request: RawRequest;
  auth: AuthFacts;
}

/**
 * The audit facts of an operation. The defaults fit most operations: read-only by verb, management event,
 * requestParameters and responseElements from the input and output members.
 */
export interface AuditFacts<I, O> {
  readOnly?: boolean;
  /** A read whose responseElements AWS writes all the same (STS AssumeRoleWithWebIdentity); reads get null otherwise. */
  readRecordsResponse?: boolean;
  category?: EventCategory;
  /** eventName when AWS does not use the operation name (Lambda's CreateFunction20150331). */
  eventName?: string;
  /** The record's `resources` (data events always carry them). */
  resources?: (call: AuditView<I, O>) => RecordResource[] | undefined;
  /** LookupEvents resources beyond those the service's resourceMembers find. */
  lookupResources?: (call: AuditView<I, O>) => LookupResource[];
  /**
   * Only where AWS's record differs from the input; `shaped()` gives the default (the input as the record
   * writes it), worked out only if asked for.
   */
  requestParameters?: (call: AuditView<I, O>, shaped: () => Record<string, unknown> | null) => Record<string, unknown> | null;
  /**
   * Only where AWS's record differs from the output; `shaped()` gives the default. Not called for failures; for
   * reads, giving it is what makes AWS's few reads with response elements (AssumeRoleWithWebIdentity) write them.
   */
  responseElements?: (call: AuditView<I, O>, shaped: () => Record<string, unknown> | null) => Record<string, unknown> | null;
  additionalEventData?: (call: AuditView<I, O>) => Record<string, unknown> | undefined;
  /**
   * The account that owns the resource the call acted on, when it may be another account's (a role assumed
   * across accounts): AWS then delivers a copy of the record to that account too, both with one sharedEventID.
   */
  resourceAccount?: (call: AuditView<I, O>) => string | undefined;
}

export interface OperationDef<I, O> {
  handler: (input: I, ctx: CallContext) => O | Promise<O>;
  audit?: AuditFacts<I, O>;
}

/** The handler of operation K of a service whose generated operation types are Ops. */
export type HandlerOf<Ops extends OperationTypes<Ops>, K extends keyof Ops> = (
  input: Ops[K]["input"],
  ctx: CallContext,
) => Ops[K]["output"] | Promise<Ops[K]["output"]>;

/** Maps each operation name of Ops to its generated input and output types. */
export type OperationTypes<Ops> = { [K in keyof Ops]: { input: unknown; output: unknown } };

/** The operation types once a service is registered and the engine no longer tells operations apart. */
export type AnyOperations = Record<string, { input: unknown; output: unknown }>;

export type OperationTable<Ops extends OperationTypes<Ops>> = {
  [K in keyof Ops]?: OperationDef<Ops[K]["input"], Ops[K]["output"]>;
};

/** How dates inside responseElements are written: each service's Java model serialised them its own way. */
export type RecordDateFormat = "java" | "javaComma" | "epochMillis" | "iso";

export interface ServiceAuditDefaults {
  dateFormat?: RecordDateFormat;
  /** Input or output members naming a resource, with its LookupEvents ResourceType (UserName -> AWS::IAM::User). */
  resourceMembers?: Record<string, string>;
  /** S3 writes a client's user agent in brackets (an AWS service's without). */
  bracketUserAgent?: boolean;
  /** The API version some services write in every record (CloudWatch Logs: `20140328`). */
  apiVersion?: string;
  /**
   * How LookupEvents names a resource of the record's `resources` when not by its ARN: S3 names a bucket by its
   * name on every bucket call, data events included.
   */
  lookupName?: (resource: RecordResource) => string | undefined;
}

/** Background work of a service (Lambda's warm processes, trail delivery), tied to the emulator's lifecycle. */
export interface ServiceRuntime {
  /** POST /_localtrail/flush: finish pending work now (trails deliver their files). */
  flush?(): Promise<void>;
  /** POST /_localtrail/reset: drop everything in memory, as after a fresh start. */
  reset?(): Promise<void>;
  /** Shutdown: stop timers and child processes. */
  close?(): Promise<void>;
}

/** How a service reports input that breaks the model's constraints. */
export interface ValidationStyle {
  /** The wire code (IAM `ValidationError`, JSON services `ValidationException`). */
  code: string;
  /** How CloudTrail records it, when it differs from the wire code. */
  recordedCode?: string;
  status?: number;
  /** Check lengths, ranges, patterns and enums too, not only required members and types. */
  constraints: boolean;
}

export interface ServiceDefinition<Ops extends OperationTypes<Ops> = AnyOperations> {
  /** The descriptor's name: src/generated/descriptors/<name>.json. */
  name: string;
  eventSource: string;
  /**
   * Where the service's events are recorded when not in the region called: IAM records every event in
   * us-east-1; STS only the calls to its global endpoint (a function of the request).
   */
  recordRegion?: string | ((call: { region: string; request: RawRequest }) => string);
  operations: OperationTable<Ops>;
  audit?: ServiceAuditDefaults;
  validation: ValidationStyle;
  /** How IAM enforcement authorizes the service's calls: actions, resources, condition keys, refusals. */
  authorization?: ServiceAuthorization;
  /** Services that issue access keys let auth find them. */
  credentialSource?: (store: StateStore) => CredentialSource;
  /** The service that knows where Insights are enabled (CloudTrail's trails) tells the Insights engine. */
  insightsScope?: (store: StateStore) => InsightsScope;
  /** The service that stores objects (S3) lets the engine read them: the console validating delivered files. */
  objectReader?: (store: StateStore, blobs: BlobStore, now: () => Date) => ObjectReader;
  /** Services that own identities give console sign-in its part (IAM: passwords and aliases; STS: sessions). */
  signIn?: (deps: { store: StateStore; env: ServiceEnv }) => Partial<SignInBackend>;
  /** Services with background work start it here, once, when the emulator starts. */
  start?: (deps: { store: StateStore; env: ServiceEnv }) => ServiceRuntime;
  /** The form of request ids this service gives out (S3: 16 upper-case characters); a UUID otherwise. */
  requestId?: (ids: Ids) => string;
  /** REST services: the path to route on, when the request's own path is not it (S3 virtual-hosted buckets). */
  routingPath?: (raw: RawRequest, config: Config) => string;
  /** REST services: picks among operations that share a method and path (S3 UploadPart vs PutObject). */
  chooseOperation?: (candidates: string[], raw: RawRequest, query: URLSearchParams) => string | undefined;
}

/** A service as the engine holds it: its definition, its lazily loaded model and its protocol's codec. */
export interface RegisteredService {
  definition: ServiceDefinition;
  model(): ServiceModel;
  codec(): Codec;
  /** The type-erased operation row; the codec has checked the input against the model. */
  operation(name: string): OperationDef<unknown, unknown> | undefined;
}

/** The region a call's record names (awsRegion): the service's rule, else the region called. */
export function recordedRegion(definition: Pick<ServiceDefinition, "recordRegion">, region: string, request: RawRequest): string {
  const rule = definition.recordRegion;
  if (rule === undefined) return region;
  return typeof rule === "string" ? rule : rule({ region, request });
}

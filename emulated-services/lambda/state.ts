import type { FunctionConfiguration, LoggingConfig } from "../../src/generated/types/lambda.js";
import type { CallContext } from "../../src/types/service.js";

/** A deployment package: the zip is a blob (ctx.env.blobs) named by a generated id, never by a user string. */
export interface StoredCode {
  blobId: string;
  /** Base64 of the zip's SHA-256, as CodeSha256 reports it. */
  sha256: string;
  size: number;
}

/** A resource policy statement as AddPermission builds it (serialised in this key order). */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** The configuration of one version: $LATEST changes, published versions are snapshots. */
export interface StoredVersion {
  version: string;
  description: string;
  runtime?: FunctionConfiguration["Runtime"];
  role: string;
  handler?: string;
  timeout: number;
  memorySize: number;
  ephemeralStorage: number;
  architectures: ("x86_64" | "arm64")[];
  environment?: Record<string, string>;
  tracingMode: "Active" | "PassThrough";
  deadLetterTarget?: string;
  kmsKeyArn?: string;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
  logging?: LoggingConfig;
  code: StoredCode;
  /** ISO time of the last change of code or configuration. */
  lastModified: string;
  revisionId: string;
  /** The resource policy on this version ($LATEST: the unqualified function's). */
  policy: PolicyStatement[];
}

export interface StoredAlias {
  name: string;
  functionVersion: string;
  description: string;
  /** AdditionalVersionWeights: a second version and the share of invocations it gets. */
  weights?: Record<string, number>;
  revisionId: string;
  policy: PolicyStatement[];
}

export interface StoredFunction {
  name: string;
  latest: StoredVersion;
  /** Published versions by number. */
  versions: Record<string, StoredVersion>;
  /** The last number given out: AWS never reuses a version number, even after DeleteFunction of a version. */
  lastVersion: number;
  aliases: Record<string, StoredAlias>;
  tags: Record<string, string>;
  /** PutFunctionConcurrency: executions reserved for the function (0 throttles every invocation). */
  reservedConcurrency?: number;
}

/** One account's functions in one region. */
export interface LambdaState {
  functions: Record<string, StoredFunction>;
}

export function lambdaState(ctx: CallContext): LambdaState {
  return ctx.state.get("lambda", ctx.accountId, ctx.region, () => ({ functions: {} }));
}

/** A record's own entry: names come from clients, and `__proto__` is a valid function or alias name. */
export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own entry, even for a key such as `__proto__` that plain assignment would treat specially. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

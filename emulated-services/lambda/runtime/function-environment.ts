import type { Ids } from "../../../src/types/service.js";
import { localtrailRoot } from "./runtimes.js";

/**
 * What an execution environment is started for: one version of a function in one configuration. A warm
 * environment serves only invocations whose spec is the same in every field.
 */
export interface FunctionSpec {
  /** Unqualified. */
  functionArn: string;
  name: string;
  version: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  codeBlobId: string;
  region: string;
  /** The execution role: its session is the environment's. */
  role: string;
  /** LastModified: after any update of code or configuration, invocations go to new environments, as in AWS. */
  lastModified: string;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** Keys Lambda sets itself and refuses in a function's Environment.Variables. */
export const RESERVED_VARIABLES = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

/**
 * The environment variables of an execution environment, as Lambda defines them, plus AWS_ENDPOINT_URL so
 * that the function's own AWS calls come back to localtrail, signed with the execution role's temporary
 * credentials. Nothing of the emulator's own environment leaks in but PATH (to find the runtime); TMPDIR is the
 * environment's own scratch directory (Lambda's /tmp), inside the data dir.
 */
export function functionVariables(
  spec: FunctionSpec,
  dirs: { taskRoot: string; scratch: string },
  credentials: TemporaryCredentials,
  endpoint: string,
  logStream: string,
): Record<string, string> {
  const { taskRoot, scratch } = dirs;
  const variables: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    TMPDIR: scratch,
    // The host's ~/.aws files are not the function's: its SDK reads none.
    AWS_CONFIG_FILE: `${scratch}/.aws/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${scratch}/.aws/credentials`,
    ...spec.environment,
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL: endpoint,
    LAMBDA_TASK_ROOT: taskRoot,
  };
  if (spec.runtime.startsWith("nodejs") && !Object.hasOwn(spec.environment, "NODE_PATH")) variables.NODE_PATH = [`${localtrailRoot}/node_modules`, taskRoot].join(":");
  return variables;
}

/** An environment's log stream: `2026/11/24/[$LATEST]<32 hex>`. */
export function logStreamName(ids: Ids, version: string, now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${version}]${ids.hex(32)}`;
}

import { execFile, execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * PATH for the clients the tests start: the Python interpreter's own bin directory (the AWS CLI v1, python3)
 * ahead of pyenv's shims, which cost about 0.3 s of CPU on every call the suite makes.
 */
export const TOOL_PATH = (() => {
  try {
    const bin = dirname(execFileSync("python3", ["-c", "import os, sys; print(os.path.realpath(sys.executable))"], { encoding: "utf8" }).trim());
    return `${bin}:${process.env.PATH ?? ""}`;
  } catch {
    return process.env.PATH ?? "";
  }
})();

/** The environment a user would set to point the AWS CLI or boto3 at localtrail. */
export function awsEnv(url: string, credentials: CliCredentials = { accessKeyId: "test", secretAccessKey: "test" }, region = "us-east-1"): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: TOOL_PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: url,
    AWS_MAX_ATTEMPTS: "1",
    AWS_PAGER: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return env;
}

/** The AWS CLI v2 from Debian's awscli package (.ci/run installs it); `aws` on the PATH is v1. */
export const AWS_CLI_V2 = "/usr/bin/aws";

/** Runs the AWS CLI (v1 by default, on every machine) against `url`; never throws on a non-zero exit. */
export async function aws(url: string, args: string[], credentials?: CliCredentials, region?: string, binary = "aws"): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(binary, ["--endpoint-url", url, "--output", "json", ...args], { env: awsEnv(url, credentials, region) });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? "", stderr: err.stderr ?? "", code: typeof err.code === "number" ? err.code : 1 };
  }
}

/** Runs the AWS CLI and parses its JSON output; throws with the CLI's message when it fails. */
export async function awsJson<T = Record<string, unknown>>(url: string, args: string[], credentials?: CliCredentials, region?: string, binary?: string): Promise<T> {
  const result = await aws(url, args, credentials, region, binary);
  if (result.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}

/** Runs a Python snippet with boto3 configured for `url` (the snippet prints JSON). */
export async function boto3<T = unknown>(url: string, script: string, credentials?: CliCredentials, region?: string): Promise<T> {
  const { stdout } = await run("python3", ["-c", `import boto3, json, sys\n${script}`], { env: awsEnv(url, credentials, region) });
  return JSON.parse(stdout) as T;
}

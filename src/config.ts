import { parseArgs } from "node:util";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  ephemeral: boolean;
  /** Region of calls that carry none (unsigned requests, S3 SigV2). */
  region: string;
  /** Verify signatures (false with --no-verify). */
  verify: boolean;
  /** Seconds between trail log-file deliveries (AWS: about 5 minutes). */
  deliveryInterval: number;
  /** Seconds between digest files (AWS: one an hour). */
  digestInterval: number;
  /** Days the event history keeps events (AWS: 90). */
  retentionDays: number;
  /** Host names under which `<bucket>.<host>` addresses a bucket, beyond `localhost` and `*.s3.*`. */
  s3Hostnames: string[];
  /** IAM policy enforcement: off (default), on (`--enforce-iam`), or soft (`--enforce-iam soft`). */
  enforceIam: "off" | "on" | "soft";
  /** --debug: log why each call was allowed or denied when enforcement is on. */
  debug: boolean;
  /** The root user's console password, the same for every account (default `test`). */
  rootPassword: string;
  /** The region IAM users' ConsoleLogin events are recorded in (AWS: us-east-1 at the global sign-in endpoint). */
  signinRegion: string;
  /** --quiet: no banner and no call lines, only the ready lines and errors. */
  quiet: boolean;
  /** --log-format: the call lines for people (text) or for machines (json, one object per line). */
  logFormat: "text" | "json";
}

export const HELP = `localtrail: a local AWS API emulator that records every call as a CloudTrail event

Usage: localtrail [options]            run the emulator
       localtrail <command> [options]  work with a running emulator (commands below)

Options (each also as an environment variable; flags win):
  --port <n>                 port to listen on                 LOCALTRAIL_PORT            (default 4566)
  --host <addr>              address to bind                   LOCALTRAIL_HOST            (default 127.0.0.1)
  --data-dir <dir>           where all state and history live  LOCALTRAIL_DATA_DIR        (default ./.localtrail)
  --ephemeral                keep everything in memory         LOCALTRAIL_EPHEMERAL=1
  --region <region>          region of calls that name none    LOCALTRAIL_REGION          (default us-east-1)
  --no-verify                do not check signatures           LOCALTRAIL_NO_VERIFY=1
  --delivery-interval <s>    trail log-file delivery period    LOCALTRAIL_DELIVERY_INTERVAL (default 300)
  --digest-interval <s>      trail digest-file period          LOCALTRAIL_DIGEST_INTERVAL   (default 3600)
  --retention-days <n>       days of event history kept        LOCALTRAIL_RETENTION_DAYS    (default 90)
  --s3-hostname <h,...>      hosts for virtual-hosted buckets  LOCALTRAIL_S3_HOSTNAME       (besides localhost and *.s3.*)
  --enforce-iam [soft]       evaluate IAM policies and deny     LOCALTRAIL_ENFORCE_IAM=1|soft (default off)
                             what they do not allow; "soft" only
                             records what would be denied
  --debug                    log why each call was allowed or   LOCALTRAIL_DEBUG=1
                             denied (with --enforce-iam)
  --root-password <pw>       the root user's console password  LOCALTRAIL_ROOT_PASSWORD     (default test)
  --signin-region <region>   region of IAM users' ConsoleLogin  LOCALTRAIL_SIGNIN_REGION     (default us-east-1)
  --quiet                    no banner and no line per call     LOCALTRAIL_QUIET=1
  --log-format <text|json>   the line per call for people or    LOCALTRAIL_LOG_FORMAT        (default text)
                             for machines (one JSON per line)
  -h, --help                 show this help
  -v, --version              show the version

Credentials: access key "test" / secret "test" is the root of account 000000000000; a 12-digit access key
(secret "test") is the root of that account; keys from IAM CreateAccessKey and STS are their principals.

Internal endpoints: GET /_localtrail/health, POST /_localtrail/reset, POST /_localtrail/flush,
POST /_localtrail/import[?store=columnar] (a CloudTrail log file, gzipped or plain, added to the history),
GET and POST /_localtrail/clock (emulated time: {"set": "<ISO time>"} or {"advance": "PT6H"}),
GET /_localtrail/policy?principal=<arn>[&since=<time>] (the least-privilege policy of what a principal did),
POST /_localtrail/query {"sql": "SELECT ... FROM cloudtrail_logs"} (SQL over the history; Athena's table),
GET /_localtrail/events[?after=<cursor>|last=<n>][&since=1h&user=&eventName=&resource=&wait=<s>] (the history as records).

Console: http://<host>:<port>/_localtrail/console/ (sign in as the root user with an account ID and the root
password, or as an IAM user with a console password); federation sign-in at /_localtrail/federation (and at
/federation when the Host is signin.aws.amazon.com or signin.localhost).

Exit codes: 0 stopped by a signal, 2 a bad flag, 3 the port is in use or not allowed, 4 the data dir cannot be used.`;

export class ConfigError extends Error {}

/** Flags, then LOCALTRAIL_* environment variables, then defaults. Pure: no I/O. */
export function parseConfig(argv: string[], env: Record<string, string | undefined>): Config | "help" | "version" {
  const { values } = parseArgs({
    args: withEnforcementMode(argv),
    strict: true,
    allowNegative: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      ephemeral: { type: "boolean" },
      region: { type: "string" },
      verify: { type: "boolean" },
      "delivery-interval": { type: "string" },
      "digest-interval": { type: "string" },
      "retention-days": { type: "string" },
      "s3-hostname": { type: "string" },
      "enforce-iam": { type: "string" },
      debug: { type: "boolean" },
      "root-password": { type: "string" },
      "signin-region": { type: "string" },
      quiet: { type: "boolean" },
      "log-format": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
  if (values.help) return "help";
  if (values.version) return "version";
  const flag = (v: boolean | undefined, name: string) => v ?? (env[name] === "1" || env[name] === "true");
  const region = values.region ?? env.LOCALTRAIL_REGION ?? "us-east-1";
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) throw new ConfigError(`--region: not a region: ${region}`);
  const signinRegion = values["signin-region"] ?? env.LOCALTRAIL_SIGNIN_REGION ?? "us-east-1";
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(signinRegion)) throw new ConfigError(`--signin-region: not a region: ${signinRegion}`);
  const rootPassword = values["root-password"] ?? env.LOCALTRAIL_ROOT_PASSWORD ?? "test";
  if (rootPassword === "") throw new ConfigError("--root-password: must not be empty");
  return {
    port: integer("--port", values.port ?? env.LOCALTRAIL_PORT, 4566, 0, 65535),
    host: values.host ?? env.LOCALTRAIL_HOST ?? "127.0.0.1",
    dataDir: values["data-dir"] ?? env.LOCALTRAIL_DATA_DIR ?? "./.localtrail",
    ephemeral: flag(values.ephemeral, "LOCALTRAIL_EPHEMERAL"),
    region,
    verify: values.verify ?? !(env.LOCALTRAIL_NO_VERIFY === "1" || env.LOCALTRAIL_NO_VERIFY === "true"),
    deliveryInterval: integer("--delivery-interval", values["delivery-interval"] ?? env.LOCALTRAIL_DELIVERY_INTERVAL, 300, 1, 86400),
    digestInterval: integer("--digest-interval", values["digest-interval"] ?? env.LOCALTRAIL_DIGEST_INTERVAL, 3600, 1, 86400),
    retentionDays: integer("--retention-days", values["retention-days"] ?? env.LOCALTRAIL_RETENTION_DAYS, 90, 1, 36500),
    s3Hostnames: (values["s3-hostname"] ?? env.LOCALTRAIL_S3_HOSTNAME ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    enforceIam: enforcementMode(values["enforce-iam"] ?? env.LOCALTRAIL_ENFORCE_IAM),
    debug: flag(values.debug, "LOCALTRAIL_DEBUG"),
    rootPassword,
    signinRegion,
    quiet: flag(values.quiet, "LOCALTRAIL_QUIET"),
    logFormat: logFormat(values["log-format"] ?? env.LOCALTRAIL_LOG_FORMAT),
  };
}

const MODES = new Set(["on", "off", "soft", "1", "0", "true", "false"]);

/** `--enforce-iam` takes an optional mode: alone it means on, `--enforce-iam soft` is soft. */
function withEnforcementMode(argv: string[]): string[] {
  return argv.flatMap((arg, i) => {
    if (arg !== "--enforce-iam") return i > 0 && argv[i - 1] === "--enforce-iam" && MODES.has(arg) ? [] : [arg];
    const next = argv[i + 1];
    return [`--enforce-iam=${next !== undefined && MODES.has(next) ? next : "on"}`];
  });
}

function logFormat(value: string | undefined): Config["logFormat"] {
  if (value === undefined || value === "" || value === "text") return "text";
  if (value === "json") return "json";
  throw new ConfigError(`--log-format: expected text or json, got ${value}`);
}

function enforcementMode(value: string | undefined): Config["enforceIam"] {
  if (value === undefined || value === "" || value === "0" || value === "false" || value === "off") return "off";
  if (value === "1" || value === "true" || value === "on") return "on";
  if (value === "soft") return "soft";
  throw new ConfigError(`--enforce-iam: expected on, soft or off, got ${value}`);
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}: expected an integer from ${min} to ${max}, got ${value}`);
  return n;
}

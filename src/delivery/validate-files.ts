import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { constants, gunzipSync } from "node:zlib";
import type { ObjectReader } from "../types/object-reader.js";

/**
 * Checks a trail's delivered files exactly as `aws cloudtrail validate-logs` does (awscli
 * customizations/cloudtrail/validation.py; reference/cloudtrail.md §7.6-7.8): list the digests of the window,
 * walk the chain newest to oldest through each digest's previous* link, check every digest's place and
 * signature against the region's public keys, then each log file it lists against its SHA-256. The report
 * says for each file valid, modified, missing or invalid, with the CLI's own lines (stdout and stderr of
 * `--verbose`), so the console and the CLI tell the same story.
 */

export type DigestVerdict = "valid" | "missing" | "invalid";
export type LogVerdict = "valid" | "modified" | "missing" | "invalid";

export interface CheckedLog {
  bucket: string;
  key: string;
  verdict: LogVerdict;
  /** The CLI's line for it. */
  message: string;
  /** The digest that lists it. */
  digestKey: string;
}

export interface CheckedDigest {
  bucket: string;
  key: string;
  verdict: DigestVerdict;
  backfill: boolean;
  message: string;
  /** Read from a valid digest. */
  startTime?: string;
  endTime?: string;
}

export interface ValidationReport {
  trailArn: string;
  start: Date;
  end: Date;
  /** In the order the CLI reports them. */
  digests: CheckedDigest[];
  logs: CheckedLog[];
  /** Breaks in the chain (stopped logging): not failures. */
  gaps: string[];
  /** What the CLI would print with --verbose, byte for byte. */
  stdout: string;
  stderr: string;
  /** 0 when every file checked is valid, 1 otherwise (the CLI's exit code). */
  exitCode: 0 | 1;
  /** Set when the CLI would stop with an error instead (no public keys, a bucket that is gone). */
  failure?: string;
}

export interface PublicKey {
  fingerprint: string;
  /** PKCS#1 RSAPublicKey DER (ListPublicKeys' Value). */
  der: Buffer;
}

export interface ValidateRequest {
  trailArn: string;
  /** The trail's bucket and prefix (DescribeTrails' S3BucketName, S3KeyPrefix). */
  bucket: string;
  prefix?: string;
  /** Validates log files delivered in [start, end]. */
  start: Date;
  end: Date;
  /** The region whose digests are walked (the CLI's --region); the trail's home region by default. */
  sourceRegion?: string;
  /** The member account of an organization trail (--account-id); the trail's account by default. */
  accountId?: string;
  organizationId?: string;
}

export interface ValidateSources {
  objects: ObjectReader;
  /** ListPublicKeys over [start, end] in the trail's home region. */
  publicKeys: (start: Date, end: Date) => Promise<PublicKey[]>;
}

const HOUR = 3_600_000;

/** `%Y%m%dT%H%M%SZ` */
const compactDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
/** `%Y-%m-%dT%H:%M:%SZ` (seconds truncated, as strftime does) */
export const displayDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\\-/]/g, "\\$&");

const isBackfill = (key: string) => key.endsWith("_backfill.json.gz");
/** The timestamp a digest's name carries, cut positionally as the CLI does. */
const keyDateText = (key: string) => (isBackfill(key) ? key.slice(-33, -17) : key.slice(-24, -8));

function keyDate(key: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(keyDateText(key));
  if (!m) throw new ValidationAborted(`Unable to parse date value: ${keyDateText(key)}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** A digest that fails a check, with the CLI's message. */
class DigestError extends Error {}
/** What makes the CLI stop with an error. */
class ValidationAborted extends Error {}
class DigestNotFound extends Error {}

interface Digest {
  data: Record<string, unknown>;
  /** The gunzipped bytes: what the signature covers. */
  raw: Buffer;
  signature: string;
  backfillGeneratedAt?: string;
}

const REQUIRED_KEYS = ["digestPublicKeyFingerprint", "digestS3Bucket", "digestS3Object", "previousDigestSignature", "digestEndTime", "digestStartTime"];

export async function validateTrailFiles(request: ValidateRequest, sources: ValidateSources): Promise<ValidationReport> {
  const arn = /^arn:.+:cloudtrail:(.+):(\d{12}):trail\/(.+)$/.exec(request.trailArn);
  if (!arn) throw new Error(`Invalid trail ARN provided: ${request.trailArn}`);
  const trailName = request.trailArn.split("/").pop()!;
  const homeRegion = request.trailArn.split(":")[3]!;
  const accountId = request.accountId ?? request.trailArn.split(":")[4]!;
  const sourceRegion = request.sourceRegion ?? homeRegion;
  const start = new Date(Math.floor(request.start.getTime() / 1000) * 1000);
  const end = new Date(Math.floor(request.end.getTime() / 1000) * 1000);
  const report: ValidationReport = { trailArn: request.trailArn, start, end, digests: [], logs: [], gaps: [], stdout: "", stderr: "", exitCode: 0 };
  const out = new CliOutput(report);
  out.stdout(`Validating log files for trail ${request.trailArn} between ${displayDate(start)} and ${displayDate(end)}\n\n`);

  const org = request.organizationId ? `${request.organizationId}/` : "";
  const keyPrefix = request.prefix ? `${request.prefix}/` : "";
  const listPrefix = `${keyPrefix}AWSLogs/${org}${accountId}/CloudTrail-Digest/${sourceRegion}`;
  const keyPattern = new RegExp(
    `^${request.prefix ? `${escapeRegex(request.prefix)}/` : ""}AWSLogs/${org}${escapeRegex(accountId)}/CloudTrail\\-Digest/${escapeRegex(sourceRegion)}/\\d+/\\d+/\\d+/${escapeRegex(accountId)}_CloudTrail\\-Digest_${escapeRegex(sourceRegion)}_${escapeRegex(trailName)}_${escapeRegex(homeRegion)}_.+(?:_backfill)?\\.json\\.gz$`,
  );
  /** The key a digest ending a minute before `from` would have: where the listing starts (its Marker). */
  const marker = (from: Date) => {
    const d = new Date(from.getTime() - 60_000);
    const ymd = d.toISOString().slice(0, 10).replace(/-/g, "/");
    return `${keyPrefix}AWSLogs/${org}${accountId}/CloudTrail-Digest/${sourceRegion}/${ymd}/${accountId}_CloudTrail-Digest_${sourceRegion}_${trailName}_${homeRegion}_${compactDate(d)}.json.gz`;
  };

  // The CLI lists once per (bucket, range) and pops keys off the cached lists as it walks.
  const listings = new Map<string, { standard: string[]; backfill: string[] }>();
  const digestKeys = (bucket: string, from: Date, to: Date, backfill: boolean): string[] => {
    const id = JSON.stringify([bucket, from.getTime(), to.getTime()]);
    let listing = listings.get(id);
    if (!listing) {
      listing = { standard: [], backfill: [] };
      const keys = sources.objects.keys(bucket, listPrefix, marker(from));
      if (!keys) throw new ValidationAborted(`An error occurred (NoSuchBucket) when calling the ListObjects operation: The specified bucket does not exist`);
      const first = compactDate(from);
      const last = compactDate(new Date(to.getTime() + HOUR));
      for (const key of keys) {
        if (!keyPattern.test(key)) continue;
        const date = keyDateText(key);
        if (date > last) break;
        if (date < first) continue;
        (isBackfill(key) ? listing.backfill : listing.standard).push(key);
      }
      listings.set(id, listing);
    }
    return backfill ? listing.backfill : listing.standard;
  };

  const loadKeys = async (from: Date, to: Date): Promise<Map<string, PublicKey>> => {
    const keys = await sources.publicKeys(from, to);
    if (keys.length === 0) throw new ValidationAborted(`No public keys found between ${displayDate(from)} and ${displayDate(to)}`);
    return new Map(keys.map((k) => [k.fingerprint, k]));
  };

  const fetchDigest = async (bucket: string, key: string): Promise<Digest> => {
    const object = await sources.objects.get(bucket, key);
    if (!object) throw new DigestNotFound();
    let data: Record<string, unknown>;
    let raw: Buffer;
    try {
      raw = gunzipSync(object.body);
      data = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
    const signature = object.metadata["signature"];
    if (signature === undefined || object.metadata["signature-algorithm"] === undefined) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: signature verification failed`);
    const digest: Digest = { data, raw, signature };
    if (isBackfill(key)) {
      const generated = object.metadata["backfill-generation-timestamp"];
      if (generated === undefined) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
      digest.backfillGeneratedAt = generated;
    }
    return digest;
  };

  const checkDigest = async (keys: Map<string, PublicKey>, bucket: string, key: string, backfill: boolean): Promise<Digest> => {
    const digest = await fetchDigest(bucket, key);
    const d = digest.data;
    for (const required of REQUIRED_KEYS) if (!(required in d)) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
    if (d["digestS3Bucket"] !== bucket || d["digestS3Object"] !== key) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: has been moved from its original location`);
    const fingerprint = String(d["digestPublicKeyFingerprint"]);
    if (!keys.has(fingerprint) && backfill && digest.backfillGeneratedAt) {
      const at = Date.parse(digest.backfillGeneratedAt);
      for (const [f, k] of await loadKeys(new Date(at - HOUR), new Date(at + HOUR))) keys.set(f, k);
    }
    const publicKey = keys.get(fingerprint);
    if (!publicKey) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: public key not found in region ${homeRegion} for fingerprint ${fingerprint}`);
    let keyObject: KeyObject;
    try {
      keyObject = createPublicKey({ key: publicKey.der, format: "der", type: "pkcs1" });
    } catch {
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: Unable to load PKCS #1 key with fingerprint ${fingerprint}`);
    }
    const previous = d["previousDigestSignature"] ?? "null";
    const toSign = `${String(d["digestEndTime"])}\n${String(d["digestS3Bucket"])}/${String(d["digestS3Object"])}\n${createHash("sha256").update(digest.raw).digest("hex")}\n${String(previous)}`;
    // binascii.unhexlify's complaints, which the CLI prints as the digest's error.
    if (digest.signature.length % 2 === 1) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: Odd-length string`);
    if (!/^[0-9a-fA-F]*$/.test(digest.signature)) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: Non-hexadecimal digit found`);
    if (!verify("sha256", Buffer.from(toSign, "utf8"), keyObject, Buffer.from(digest.signature, "hex"))) {
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: signature verification failed`);
    }
    return digest;
  };

  const checkLog = async (log: Record<string, unknown>, digestKey: string) => {
    const bucket = String(log["s3Bucket"]);
    const key = String(log["s3Object"]);
    const object = await sources.objects.get(bucket, key);
    const where = `Log file\ts3://${bucket}/${key}`;
    const checked = (verdict: LogVerdict, message: string) => {
      report.logs.push({ bucket, key, verdict, message, digestKey });
      return message;
    };
    if (!object) return out.error(checked("missing", `${where}\tINVALID: not found`));
    let hash: string;
    try {
      // Inflated as the CLI streams it: a truncated file still hashes (and then differs) rather than failing.
      hash = createHash("sha256").update(gunzipSync(object.body, { finishFlush: constants.Z_SYNC_FLUSH })).digest("hex");
    } catch {
      return out.error(checked("invalid", `${where}\tINVALID: invalid format`));
    }
    if (hash !== log["hashValue"]) return out.error(checked("modified", `${where}\tINVALID: hash value doesn't match`));
    out.status(checked("valid", `${where}\tvalid`));
  };

  let foundStart: Date | undefined;
  let foundEnd: Date | undefined;
  const counts = { valid: 0, invalid: 0, validBackfill: 0, invalidBackfill: 0, validLogs: 0, invalidLogs: 0 };

  const walk = async (backfill: boolean) => {
    const label = backfill ? "(backfill) " : "";
    let bucket = request.bucket;
    let digests = digestKeys(bucket, start, end, backfill);
    const keys = backfill ? new Map<string, PublicKey>() : await loadKeys(start, new Date(end.getTime() + 2 * HOUR));
    /** The next older listed digest than `before` (the newest when none), popped off the list. */
    const nextListed = (before?: string): [string, Date] | undefined => {
      if (digests.length === 0) return undefined;
      if (before === undefined) {
        const key = digests.pop()!;
        return [key, keyDate(key)];
      }
      const beforeDate = keyDate(before);
      while (digests.length > 0) {
        const key = digests.pop()!;
        const date = keyDate(key);
        if (date < beforeDate) return [key, date];
      }
      return undefined;
    };
    const failed = (key: string, message: string, verdict: DigestVerdict) => {
      report.digests.push({ bucket, key, verdict, backfill, message: `${label}${message}` });
      if (backfill) counts.invalidBackfill++;
      else counts.invalid++;
      out.error(`${label}${message}`);
    };

    let next = nextListed();
    let key = next?.[0];
    let lastStart = next?.[1];
    while (key !== undefined && lastStart !== undefined && start <= lastStart) {
      let digest: Digest;
      try {
        digest = await checkDigest(keys, bucket, key, backfill);
      } catch (e) {
        if (e instanceof ValidationAborted) throw e;
        if (e instanceof DigestNotFound) failed(key, `Digest file\ts3://${bucket}/${key}\tINVALID: not found`, "missing");
        else failed(key, e instanceof DigestError ? e.message : `Digest file\ts3://${bucket}/${key}\tINVALID: ${(e as Error).message}`, "invalid");
        next = nextListed(key);
        key = next?.[0];
        continue;
      }
      const d = digest.data;
      const digestStart = new Date(String(d["digestStartTime"]));
      const digestEnd = new Date(String(d["digestEndTime"]));
      lastStart = digestStart;
      const earliest = digestStart > start ? digestStart : start;
      if (!foundStart || earliest < foundStart) foundStart = earliest;
      const latest = digestEnd < end ? digestEnd : end;
      if (!foundEnd || latest > foundEnd) foundEnd = latest;
      if (backfill) counts.validBackfill++;
      else counts.valid++;
      const message = `${label}Digest file\ts3://${String(d["digestS3Bucket"])}/${String(d["digestS3Object"])}\tvalid`;
      report.digests.push({ bucket, key, verdict: "valid", backfill, message, startTime: String(d["digestStartTime"]), endTime: String(d["digestEndTime"]) });
      out.status(message);
      for (const log of Array.isArray(d["logFiles"]) ? (d["logFiles"] as Record<string, unknown>[]) : []) await checkLog(log, key);

      const previousBucket = d["previousDigestS3Bucket"];
      const previousKey = d["previousDigestS3Object"];
      if (previousBucket == null || previousKey == null) {
        const checkedKey = key;
        next = nextListed(checkedKey);
        key = next?.[0];
        // A chain that broke (logging stopped) and an older one beyond: the CLI notes the gap.
        if (next) out.error(`${label}No log files were delivered by CloudTrail between ${displayDate(next[1])} and ${displayDate(lastStart)}`, report.gaps);
      } else {
        key = String(previousKey);
        if (previousBucket !== bucket) {
          bucket = String(previousBucket);
          digests = digestKeys(bucket, start, digestEnd, backfill);
        }
      }
    }
  };

  try {
    await walk(false);
    await walk(true);
  } catch (e) {
    if (!(e instanceof ValidationAborted)) throw e;
    report.failure = e.message;
    report.exitCode = 1;
    return report;
  }
  counts.validLogs = report.logs.filter((l) => l.verdict === "valid").length;
  counts.invalidLogs = report.logs.length - counts.validLogs;

  out.summary(`Results requested for ${displayDate(start)} to ${displayDate(end)}\n`);
  if (counts.valid + counts.validBackfill + counts.invalid + counts.invalidBackfill === 0) {
    out.stdout("No digests found\n");
  } else {
    out.stdout(foundStart && foundEnd ? `Results found for ${displayDate(foundStart)} to ${displayDate(foundEnd)}:\n` : "No valid digests found in range\n");
    const ratio = (valid: number, invalid: number, name: string) => {
      const total = valid + invalid;
      if (total === 0) return;
      out.stdout(`\n${valid}/${total} ${name} files valid`);
      if (invalid > 0) out.stdout(`, ${invalid}/${total} ${name} files INVALID`);
    };
    ratio(counts.valid, counts.invalid, "digest");
    ratio(counts.validBackfill, counts.invalidBackfill, "backfill digest");
    ratio(counts.validLogs, counts.invalidLogs, "log");
    out.stdout("\n");
  }
  report.exitCode = counts.invalid + counts.invalidBackfill + counts.invalidLogs > 0 ? 1 : 0;
  return report;
}

/** The CLI's two streams, with its spacing rule: an error line stands between blank lines. */
class CliOutput {
  private doubleSpaced = true;
  constructor(private readonly report: ValidationReport) {}
  stdout(text: string): void {
    this.report.stdout += text;
  }
  status(message: string): void {
    this.doubleSpaced = false;
    this.report.stdout += `${message}\n`;
  }
  error(message: string, also?: string[]): void {
    this.report.stderr += this.doubleSpaced ? `${message}\n\n` : `\n${message}\n\n`;
    this.doubleSpaced = true;
    also?.push(message);
  }
  summary(text: string): void {
    if (!this.doubleSpaced) this.report.stdout += "\n";
    this.report.stdout += text;
  }
}

import { buildDigest, digestMetadata, type DigestedLogFile } from "../../../src/delivery/digest.js";
import { currentSigningKey } from "../../../src/delivery/public-keys.js";
import { isoSeconds } from "../../../src/protocols/timestamps.js";
import type { DigestChain, StoredTrail, TrailsState } from "../trails-state.js";
import { DeliveryRefused, deliveryRefusal, errorCode } from "./bucket-access.js";
import { statusOf, type Round } from "./round.js";
import { putDeliveredFile } from "./s3-writes.js";

/**
 * Digest chains (reference/cloudtrail.md §7.2): one per trail and region while the trail validates log
 * files and logs. A chain starts with a starting digest (previous* null), links each digest to the one
 * before through its hash and signature, and ends with a final digest when the trail stops logging, stops
 * validating, is deleted or starts logging again.
 */

const chainKey = (trailArn: string, region: string) => `${trailArn} ${region}`;
const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;
const validates = (trail: StoredTrail | undefined): trail is StoredTrail => !!trail && trail.logFileValidationEnabled && trail.isLogging;

/**
 * Whether a chain has outlived its trail's logging with validation, so its final digest is due: once the
 * trail has delivered every log file of its ended logging, its closing StopLogging or DeleteTrail included,
 * so the final digest lists the last file whatever order the delivery and digest timers ran in.
 */
function ended(chain: DigestChain, trail: StoredTrail | undefined): boolean {
  if (validates(trail) && trail.startLoggingTime === chain.loggingStartedAt) return false;
  return !trail || deliveredUpToStop(trail);
}

/** Every ended logging period of the trail is delivered, the record of the call that ended it included. */
function deliveredUpToStop(trail: StoredTrail): boolean {
  const cursor = trail.deliveredThroughSeq ?? -1;
  return (trail.loggingPeriods ?? []).every((p) => p.untilSeq === undefined || (p.closedBy === undefined && cursor >= p.untilSeq));
}

function startChain(round: Round, trails: TrailsState, trail: StoredTrail, region: string): DigestChain {
  const key = chainKey(trail.arn, region);
  const before = trails.digestChains?.[key];
  // Windows begin when logging began, never before the previous chain's last digest: digest names have seconds.
  const started = trail.startLoggingTime ? Date.parse(trail.startLoggingTime) : round.now.getTime();
  const start = Math.max(wholeSeconds(Math.min(started, round.now.getTime())), before?.lastEnd ? Date.parse(before.lastEnd) : 0);
  const chain: DigestChain = {
    trailArn: trail.arn,
    trailName: trail.name,
    accountId: trail.accountId,
    homeRegion: trail.homeRegion,
    region,
    bucket: trail.s3BucketName,
    prefix: trail.s3KeyPrefix,
    active: true,
    loggingStartedAt: trail.startLoggingTime,
    windowStart: new Date(start).toISOString(),
    lastEnd: before?.lastEnd,
    logFiles: [],
  };
  round.changed(trail.accountId).digestChains = { ...trails.digestChains, [key]: chain };
  return chain;
}

/**
 * Lists a delivered log file in the digest of its window when its trail validates log files, starting a
 * chain if none is live: the file's events were recorded while the trail logged, even when it has stopped
 * since (its chain then ends at once with a final digest that lists the file).
 */
export function digestLater(round: Round, trail: StoredTrail, region: string, file: DigestedLogFile): void {
  const trails = round.changed(trail.accountId);
  let chain = trails.digestChains?.[chainKey(trail.arn, region)];
  if (!chain?.active) {
    if (!trail.logFileValidationEnabled) return;
    chain = startChain(round, trails, trail, region);
  }
  chain.logFiles.push(file);
}

/** Writes the chain's next digest, covering its window up to now; a final one ends the chain. */
async function writeDigest(round: Round, chain: DigestChain, trail: StoredTrail | undefined, final: boolean): Promise<void> {
  if (trail) {
    chain.bucket = trail.s3BucketName;
    chain.prefix = trail.s3KeyPrefix;
  }
  const start = new Date(chain.windowStart);
  // At least one second long, so no two digests of a region share a name.
  const end = new Date(Math.max(wholeSeconds(round.now.getTime()), start.getTime() + 1000));
  const key = currentSigningKey(round.state, chain.region, round.now);
  const digest = buildDigest({
    accountId: chain.accountId,
    region: chain.region,
    trailName: chain.trailName,
    homeRegion: chain.homeRegion,
    prefix: chain.prefix,
    bucket: chain.bucket,
    start,
    end,
    logFiles: chain.logFiles,
    previous: chain.previous,
    privateKey: key.privateKey,
    fingerprint: key.fingerprint,
  });
  const status = trail && statusOf(round, trail, chain.region);
  try {
    const refused = deliveryRefusal(round.state, { trailArn: chain.trailArn, accountId: chain.accountId }, chain.bucket);
    if (refused) throw new DeliveryRefused(refused);
    // Digests are SSE-S3 even when the trail's log files are SSE-KMS (§6.5).
    await putDeliveredFile(round, { trailArn: chain.trailArn, accountId: chain.accountId }, { bucket: chain.bucket, key: digest.key, body: digest.body, metadata: digestMetadata(digest) });
  } catch (e) {
    if (status) status.latestDigestDeliveryError = errorCode(e);
    return;
  }
  round.changed(chain.accountId);
  chain.lastEnd = isoSeconds(end);
  chain.windowStart = end.toISOString();
  chain.logFiles = [];
  chain.previous = final ? undefined : { bucket: chain.bucket, key: digest.key, hash: digest.hash, signature: digest.signature };
  if (final) chain.active = false;
  if (status) {
    status.latestDigestDeliveryTime = round.now.toISOString();
    delete status.latestDigestDeliveryError;
  }
}

/**
 * Ends the chains whose trail no longer validates (their final digest, after the log files delivered
 * before the stop), and starts chains for the trails that validate: in their home region and in every
 * region they digested before.
 */
export async function syncChains(round: Round): Promise<void> {
  for (const { trails } of round.accounts()) {
    for (const chain of Object.values(trails.digestChains ?? {})) {
      const trail = trails.trails[chain.trailArn] ?? trails.retired?.[chain.trailArn];
      if (chain.active && ended(chain, trail)) await writeDigest(round, chain, trail, true);
    }
    for (const trail of Object.values(trails.trails)) {
      if (!validates(trail)) continue;
      const regions = new Set([trail.homeRegion, ...Object.values(trails.digestChains ?? {}).filter((c) => c.trailArn === trail.arn).map((c) => c.region)]);
      for (const region of regions) if (!trails.digestChains?.[chainKey(trail.arn, region)]?.active) startChain(round, trails, trail, region);
    }
  }
}

/**
 * Every live chain's digest for the window that ends now, also when no log file was delivered in it. An
 * empty window shorter than a second waits for the next pass: digest names have seconds, and a digest must
 * not end in the future to make room for it.
 */
export async function writeDigests(round: Round): Promise<void> {
  await syncChains(round);
  for (const { trails } of round.accounts()) {
    for (const chain of Object.values(trails.digestChains ?? {})) {
      const due = chain.logFiles.length > 0 || round.now.getTime() - Date.parse(chain.windowStart) >= 1000;
      if (chain.active && due) await writeDigest(round, chain, trails.trails[chain.trailArn], false);
    }
  }
}

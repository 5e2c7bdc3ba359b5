import type { AdvancedEventSelector, EventSelector, InsightSelector, Tag, Trail } from "../../src/generated/types/cloudtrail.js";
import { GLOBAL_REGION, type StateView } from "../../src/state/store.js";

/**
 * What the trail's delivery did last in one region (GetTrailStatus answers for the region it is called
 * in). Written by trail delivery; ISO dates.
 */
export interface DeliveryStatus {
  latestDeliveryTime?: string;
  latestDeliveryAttemptTime?: string;
  latestDeliveryAttemptSucceeded?: string;
  latestDeliveryError?: string;
  latestNotificationTime?: string;
  latestNotificationAttemptTime?: string;
  latestNotificationAttemptSucceeded?: string;
  latestNotificationError?: string;
  latestCloudWatchLogsDeliveryTime?: string;
  latestCloudWatchLogsDeliveryError?: string;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
}

/**
 * A trail as CloudTrail keeps it: its settings (reference/cloudtrail.md §5.3), its selectors, its tags and
 * whether it is logging. Optional settings are absent when unset, never empty strings.
 */
export interface StoredTrail {
  name: string;
  arn: string;
  accountId: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  snsTopicArn?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  /** Always the key's full ARN, whatever form the request gave. */
  kmsKeyId?: string;
  isOrganizationTrail: boolean;
  /** Exactly one of the two kinds is set; a new trail has the default basic selector. */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  hasCustomEventSelectors: boolean;
  insightSelectors: InsightSelector[];
  tags: Tag[];
  createdAt: string;
  isLogging: boolean;
  startLoggingTime?: string;
  stopLoggingTime?: string;
  /** By region: a multi-region trail delivers each region's events separately. */
  delivery: Record<string, DeliveryStatus>;
  /**
   * When the trail logged, as positions in the event history (StartLogging and StopLogging write them):
   * delivery selects events recorded while it logged even after a restart that follows a StopLogging.
   */
  loggingPeriods?: LoggingPeriod[];
  /** Delivery's cursor: every event up to this position that the trail selects has been delivered. */
  deliveredThroughSeq?: number;
}

/** The trail logs the events with afterSeq < seq <= untilSeq; untilSeq is absent while it logs. */
export interface LoggingPeriod {
  afterSeq: number;
  untilSeq?: number;
  /**
   * The request that ended the period (the trail's own StopLogging or DeleteTrail): AWS delivers that call's
   * record in the trail's log files, so its position, once known, becomes untilSeq (trail-selection.ts).
   */
  closedBy?: string;
}

/**
 * One digest chain: a trail's digests for the events of one region (reference/cloudtrail.md §7.2). Kept
 * when the trail is deleted, so its final digest can still be written, and after the chain ends, so a new
 * chain's digests never reuse an end second (digest names have seconds).
 */
export interface DigestChain {
  trailArn: string;
  trailName: string;
  accountId: string;
  homeRegion: string;
  /** The region whose log files the chain digests. */
  region: string;
  /** Where digests go: the trail's bucket and prefix when last seen. */
  bucket: string;
  prefix?: string;
  active: boolean;
  /** The trail's StartLoggingTime when the chain began: a later one means logging restarted. */
  loggingStartedAt?: string;
  /** Start of the window the next digest covers (ISO, whole seconds). */
  windowStart: string;
  /** End of the newest digest written, in any chain of this trail and region. */
  lastEnd?: string;
  previous?: { bucket: string; key: string; hash: string; signature: string };
  /** Log files delivered in the current window, waiting for the next digest. */
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string; newestEventTime: string; oldestEventTime: string }[];
}

/**
 * Every trail of an account, whatever its home region, by ARN: one document per account, so any region
 * sees the multi-region trails homed elsewhere (their shadow trails) and delivery finds them all
 * (StateStore.all("cloudtrail") yields one `TrailsState` per account).
 */
export interface TrailsState {
  trails: Record<string, StoredTrail>;
  /** Deleted trails, by ARN, until what they logged (their own DeleteTrail included) is delivered. */
  retired?: Record<string, StoredTrail>;
  /** By `<trail ARN> <region>`. */
  digestChains?: Record<string, DigestChain>;
}

export const trailsOf = (state: StateView, accountId: string): TrailsState =>
  state.get<TrailsState>("cloudtrail", accountId, GLOBAL_REGION, () => ({ trails: {} }));

export const trailArn = (region: string, accountId: string, name: string) => `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;

/** A new trail logs all management events, read and write, and no data events (§3.4 step 5). */
export const defaultEventSelectors = (): EventSelector[] => [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

/** Trails visible in a region: those homed there, and multi-region trails homed elsewhere (shadow trails). */
export const visibleIn = (trail: StoredTrail, region: string) => trail.homeRegion === region || trail.isMultiRegionTrail;

/** The Trail shape of GetTrail and DescribeTrails: unset members are left out, never null. */
export function toTrail(t: StoredTrail): Trail {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    S3KeyPrefix: t.s3KeyPrefix,
    SnsTopicName: t.snsTopicName,
    SnsTopicARN: t.snsTopicArn,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn,
    KmsKeyId: t.kmsKeyId,
    HasCustomEventSelectors: t.hasCustomEventSelectors,
    HasInsightSelectors: t.insightSelectors.length > 0,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

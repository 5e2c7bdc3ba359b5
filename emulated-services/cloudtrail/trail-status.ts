import type { GetTrailStatusResponse } from "../../src/generated/types/cloudtrail.js";
import { isoSeconds } from "../../src/protocols/timestamps.js";
import { findTrail } from "./trail-names.js";
import type { Op } from "./op.js";
import type { StoredTrail } from "./trails-state.js";

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));
// The deprecated string members are ISO seconds, or "" when the event never happened (§5.4).
const text = (iso: string | undefined) => (iso === undefined ? "" : isoSeconds(new Date(iso)));

/**
 * The trail's status in the called region: every member of §5.4, the deprecated string ones included.
 * A trail that never logged answers IsLogging false and empty strings.
 */
export const getTrailStatus: Op<"GetTrailStatus"> = (input, ctx) => {
  const trail = findTrail(ctx, input.Name, { notFoundAsArn: true });
  const d = trail.delivery[ctx.region] ?? {};
  const status: GetTrailStatusResponse = {
    IsLogging: trail.isLogging,
    LatestDeliveryError: d.latestDeliveryError,
    LatestNotificationError: d.latestNotificationError,
    LatestDeliveryTime: date(d.latestDeliveryTime),
    LatestNotificationTime: date(d.latestNotificationTime),
    StartLoggingTime: date(trail.startLoggingTime),
    StopLoggingTime: date(trail.stopLoggingTime),
    LatestCloudWatchLogsDeliveryError: d.latestCloudWatchLogsDeliveryError,
    LatestCloudWatchLogsDeliveryTime: date(d.latestCloudWatchLogsDeliveryTime),
    LatestDigestDeliveryTime: date(d.latestDigestDeliveryTime),
    LatestDigestDeliveryError: d.latestDigestDeliveryError,
    LatestDeliveryAttemptTime: text(d.latestDeliveryAttemptTime),
    LatestNotificationAttemptTime: text(d.latestNotificationAttemptTime),
    LatestNotificationAttemptSucceeded: text(d.latestNotificationAttemptSucceeded),
    LatestDeliveryAttemptSucceeded: text(d.latestDeliveryAttemptSucceeded),
    TimeLoggingStarted: text(trail.startLoggingTime),
    TimeLoggingStopped: text(trail.stopLoggingTime),
  };
  return status;
};

/**
 * Idempotent; home region only. The trail logs the events recorded from now on: those after the newest
 * event in the history (this call's own record included).
 */
export const startLogging: Op<"StartLogging"> = (input, ctx) => {
  const trail = findTrail(ctx, input.Name, { homeRegionOnly: true });
  if (trail.isLogging) return {};
  trail.isLogging = true;
  trail.startLoggingTime = ctx.now.toISOString();
  trail.loggingPeriods = [...(trail.loggingPeriods ?? []), { afterSeq: ctx.env.events.lastSeq() }];
  return {};
};

/** Events recorded before the stop are still delivered; later ones are not. */
export const stopLogging: Op<"StopLogging"> = (input, ctx) => {
  const trail = findTrail(ctx, input.Name, { homeRegionOnly: true });
  if (!trail.isLogging) return {};
  trail.isLogging = false;
  trail.stopLoggingTime = ctx.now.toISOString();
  closePeriod(trail, ctx.env.events.lastSeq(), ctx.requestId);
  return {};
};

/** Ends the trail's open logging period at `lastSeq`, its closing call's own record still to come in it. */
export function closePeriod(trail: StoredTrail, lastSeq: number, requestId: string): void {
  const open = trail.loggingPeriods?.at(-1);
  if (open && open.untilSeq === undefined) {
    open.untilSeq = lastSeq;
    open.closedBy = requestId;
  }
}

import { publicKeysBetween } from "../../src/delivery/public-keys.js";
import { cloudTrailError } from "./errors.js";
import type { Op } from "./op.js";

/**
 * The region's digest-signing public keys valid at some time in [StartTime, EndTime] (both default to
 * now; an EndTime in the future is fine: `validate-logs` asks for end + 2 hours), reference/cloudtrail.md §7.5.
 */
export const listPublicKeys: Op<"ListPublicKeys"> = (input, ctx) => {
  const start = input.StartTime ?? ctx.now;
  const end = input.EndTime ?? ctx.now;
  if (start.getTime() > end.getTime()) throw cloudTrailError("InvalidTimeRangeException", "Start time must be before end time.");
  // Every key fits in one page: a NextToken is never handed out, so none can be valid.
  if (input.NextToken !== undefined) throw cloudTrailError("InvalidTokenException", "Invalid NextToken.");
  const keys = publicKeysBetween(ctx.state, ctx.region, start, end, ctx.now);
  return {
    PublicKeyList: keys.map((k) => ({ Value: k.der, ValidityStartTime: k.validFrom, ValidityEndTime: k.validTo, Fingerprint: k.fingerprint })),
  };
};

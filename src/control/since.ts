const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A point in time as the control endpoints take it: an ISO time, or a span back from `now` (`90m`, `1h`, `7d`); null when neither. */
export function parseSince(text: string, now: Date): Date | null {
  const span = /^(\d+)([smhd])$/.exec(text);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_SECONDS[span[2]!]! * 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

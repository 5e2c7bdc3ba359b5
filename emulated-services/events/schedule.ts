/**
 * Schedule expressions (EventBridge User Guide, "Creating a rule that runs on a schedule"): `rate(5 minutes)`
 * (a positive whole number; `1 minute` singular, other values plural) and `cron(min hour day-of-month month
 * day-of-week year)` in UTC, one of the two day fields `?`, days of the week 1-7 = SUN-SAT. Parsed into a
 * function giving the first time after a moment at which the rule fires.
 */
export type Schedule = { next(after: Date, createdAt: Date): Date | undefined };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseSchedule(expression: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!.replace(/s$/, "");
    if (value <= 0 || (value === 1) !== (rate[2] === unit)) return undefined;
    const period = value * UNIT_MS[unit]!;
    // A rate counts from the rule's creation.
    return { next: (after, createdAt) => new Date(createdAt.getTime() + (Math.floor((after.getTime() - createdAt.getTime()) / period) + 1) * period) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return parseCron(cron[1]!.trim().split(/\s+/));
  return undefined;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type FieldTest = (value: number, date: Date) => boolean;

function parseCron(fields: string[]): Schedule | undefined {
  if (fields.length !== 6) return undefined;
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // Exactly one of the day fields is `?`.
  if ((dom === "?") === (dow === "?")) return undefined;
  const tests: (FieldTest | undefined)[] = [
    field(min, 0, 59),
    field(hour, 0, 23),
    dom === "?" ? () => true : dom === "L" ? lastDayOfMonth : field(dom, 1, 31),
    field(month, 1, 12, MONTHS),
    dow === "?" ? () => true : field(dow, 1, 7, DAYS),
    field(year, 1970, 2199),
  ];
  if (!tests.every((t): t is FieldTest => t !== undefined)) return undefined;
  const [tMin, tHour, tDom, tMonth, tDow, tYear] = tests as [FieldTest, FieldTest, FieldTest, FieldTest, FieldTest, FieldTest];
  return {
    next(after) {
      const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
      // Minute by minute would be slow over years; step by day when the day does not match, by hour when the hour does not.
      for (let steps = 0; steps < 600_000; steps++) {
        const dayOk = tYear(t.getUTCFullYear(), t) && tMonth(t.getUTCMonth() + 1, t) && tDom(t.getUTCDate(), t) && tDow(t.getUTCDay() + 1, t);
        if (!dayOk) {
          t.setUTCHours(24, 0, 0, 0);
          continue;
        }
        if (!tHour(t.getUTCHours(), t)) {
          t.setUTCMinutes(60, 0, 0);
          continue;
        }
        if (tMin(t.getUTCMinutes(), t)) return t;
        t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      }
      return undefined;
    },
  };
}

const lastDayOfMonth: FieldTest = (day, date) => day === new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();

/** One cron field: `*`, a value, a range `a-b`, a step `a/n` or `*\/n`, lists of these with `,`; names for months and days. */
function field(text: string, low: number, high: number, names?: string[]): FieldTest | undefined {
  const value = (s: string): number | undefined => {
    const named = names?.indexOf(s.toUpperCase());
    if (named !== undefined && named >= 0) return named + 1;
    if (!/^\d+$/.test(s)) return undefined;
    const n = Number(s);
    return n >= low && n <= high ? n : undefined;
  };
  const allowed = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === "*") [from, to] = [low, high];
    else if (range.includes("-")) [from, to] = range.split("-").map(value) as [number | undefined, number | undefined];
    else [from, to] = [value(range), stepText === undefined ? value(range) : high];
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return (v) => allowed.has(v);
}

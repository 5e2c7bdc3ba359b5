import { describe, expect, it } from "vitest";
import { MinuteSeries, topValues } from "../../src/insights/minute-series.js";

describe("the per-minute counts Insights compares with", () => {
  it("averages the window of minutes before a minute, zero minutes included, and slides it on", () => {
    const s = new MinuteSeries(10);
    s.add(1, { userIdentityArn: "a" });
    s.add(1, { userIdentityArn: "b" });
    s.add(5, { userIdentityArn: "a" });
    s.add(12, { userIdentityArn: "a" });
    // Minutes 1..10 precede minute 11: three calls in ten minutes.
    expect(s.baselineBefore(11)).toMatchObject({ average: 0.3, by: { userIdentityArn: { a: 2, b: 1 } } });
    // Counts 2, 1 and eight zeros: variance 5/10 - 0.09.
    expect(s.baselineBefore(11).deviation).toBeCloseTo(Math.sqrt(0.5 - 0.09), 12);
    // Minute 1 has left the window of minute 12; minute 12 is not in its own baseline.
    expect(s.baselineBefore(12)).toMatchObject({ average: 0.1, by: { userIdentityArn: { a: 1 } } });
    expect(s.baselineBefore(13)).toMatchObject({ average: 0.2, by: { userIdentityArn: { a: 2 } } });
  });

  it("counts a late call into the window it belongs to", () => {
    const s = new MinuteSeries(10);
    s.add(8, { userAgent: "cli" });
    expect(s.baselineBefore(10).average).toBe(0.1);
    // A call of minute 6 arrives after minute 8's: it is part of the window already being summed.
    s.add(6, { userAgent: "sdk" });
    s.add(8, { userAgent: "cli" });
    expect(s.baselineBefore(11)).toMatchObject({ average: 0.3, by: { userAgent: { cli: 2, sdk: 1 } } });
    expect(s.minutes.map((m) => [m.minute, m.count])).toEqual([
      [6, 1],
      [8, 2],
    ]);
  });

  it("forgets the minutes the window has left behind", () => {
    const s = new MinuteSeries(10);
    s.add(1, {});
    s.add(30, {});
    s.baselineBefore(31);
    expect(s.prune(20)).toBe(false);
    expect(s.minutes.map((m) => m.minute)).toEqual([30]);
    expect(s.baselineBefore(35).average).toBe(0.1);
  });

  it("lists up to five values, most frequent first, as averages per minute", () => {
    expect(topValues({ a: 1, b: 6, c: 3, d: 2, e: 2, f: 1 }, 2)).toEqual([
      { value: "b", average: 3 },
      { value: "c", average: 1.5 },
      { value: "d", average: 1 },
      { value: "e", average: 1 },
      { value: "a", average: 0.5 },
    ]);
  });
});

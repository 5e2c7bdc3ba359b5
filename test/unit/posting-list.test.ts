import { describe, expect, it } from "vitest";
import { PostingList } from "../../src/event-log/posting-list.js";

describe("PostingList", () => {
  const times = [100, 200, 200, 300, 150, 400];
  const list = () => {
    const l = new PostingList((o) => times[o]!);
    for (let o = 0; o < times.length; o++) l.add(o);
    return l;
  };

  it("returns newest first within the time range, out-of-order entries included", () => {
    expect(list().newestFirst(0, 1000, 10)).toEqual([5, 3, 2, 1, 4, 0]);
    expect(list().newestFirst(150, 300, 10)).toEqual([3, 2, 1, 4]);
  });

  it("pages strictly after a cursor, even among equal times", () => {
    const l = list();
    expect(l.newestFirst(0, 1000, 3)).toEqual([5, 3, 2]);
    expect(l.newestFirst(0, 1000, 3, { time: 200, ordinal: 2 })).toEqual([1, 4, 0]);
    expect(l.newestFirst(0, 1000, 3, { time: 100, ordinal: 0 })).toEqual([]);
  });

  it("grows past its initial capacity and filters", () => {
    const many = new PostingList((o) => o);
    for (let o = 0; o < 1000; o++) many.add(o);
    expect(many.size).toBe(1000);
    many.filter((o) => o % 2 === 0);
    expect(many.size).toBe(500);
    expect(many.newestFirst(0, 10, 3)).toEqual([10, 8, 6]);
  });
});

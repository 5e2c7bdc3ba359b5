/**
 * Event ordinals sorted by (eventTime, ordinal), in a growable Int32Array: 4 bytes an entry, so a million
 * events cost megabytes, not the hundreds an array of objects would. Live appends arrive in time order and
 * are pushed; out-of-order ones (imports, clock steps) mark the list for one sort before the next read.
 */
export class PostingList {
  private items = new Int32Array(8);
  private count = 0;
  private sorted = true;

  constructor(private readonly timeOf: (ordinal: number) => number) {}

  get size(): number {
    return this.count;
  }

  add(ordinal: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    if (this.count > 0 && this.sorted && this.compare(this.items[this.count - 1]!, ordinal) > 0) this.sorted = false;
    this.items[this.count++] = ordinal;
  }

  /** Keeps only the ordinals `keep` accepts (retention). */
  filter(keep: (ordinal: number) => boolean): void {
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const o = this.items[i]!;
      if (keep(o)) this.items[n++] = o;
    }
    this.count = n;
  }

  /**
   * Ordinals with startTime <= time <= endTime, newest first, strictly older than `before` (a previous
   * page's last event) when given, at most `limit` of them.
   */
  newestFirst(startTime: number, endTime: number, limit: number, before?: { time: number; ordinal: number }): number[] {
    this.ensureSorted();
    // Index of the first entry beyond the upper bound.
    let hi = this.upperBound(endTime, Number.MAX_SAFE_INTEGER);
    if (before) hi = Math.min(hi, this.upperBound(before.time, before.ordinal - 1));
    const out: number[] = [];
    for (let i = hi - 1; i >= 0 && out.length < limit; i--) {
      const o = this.items[i]!;
      if (this.timeOf(o) < startTime) break;
      out.push(o);
    }
    return out;
  }

  /** Number of entries that sort at or before (time, ordinal). */
  private upperBound(time: number, ordinal: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const o = this.items[mid]!;
      const t = this.timeOf(o);
      if (t < time || (t === time && o <= ordinal)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compare(a: number, b: number): number {
    return this.timeOf(a) - this.timeOf(b) || a - b;
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.items.subarray(0, this.count).sort((a, b) => this.compare(a, b));
    this.sorted = true;
  }
}

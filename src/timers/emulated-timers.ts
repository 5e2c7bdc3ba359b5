import type { Clock } from "../clock.js";

/** Real timers never wait longer than this, so a long emulated wait is looked at again now and then. */
const MAX_REAL_WAIT = 60_000;

/**
 * Timers in emulated time (src/clock.ts): a retry due in one minute runs after one real minute, or at once
 * when the clock is moved past it (POST /_localtrail/clock). One real timer serves them all.
 */
export class EmulatedTimers {
  private readonly due: { at: number; run: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly clock: Clock) {
    clock.onChange(() => this.fire());
  }

  /** Runs `run` once emulated time reaches `at` (epoch ms). */
  at(at: number, run: () => void): void {
    if (this.closed) return;
    this.due.push({ at, run });
    this.due.sort((a, b) => a.at - b.at);
    this.fire();
  }

  after(ms: number, run: () => void): void {
    this.at(this.clock.now().getTime() + ms, run);
  }

  /** Forgets every pending timer (reset, shutdown). */
  clear(): void {
    this.due.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private fire(): void {
    const now = this.clock.now().getTime();
    while (this.due.length > 0 && this.due[0]!.at <= now) {
      const next = this.due.shift()!;
      try {
        next.run();
      } catch (e) {
        console.error("localtrail: timer:", e);
      }
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.due.length === 0 || this.closed) return;
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_REAL_WAIT, Math.max(1, this.due[0]!.at - now)));
    this.timer.unref();
  }
}

const shared = new WeakMap<Clock, EmulatedTimers>();

/** The timers a service shares with others on one emulator's clock (Lambda's asynchronous retries). */
export function timersOf(clock: Clock): EmulatedTimers {
  let timers = shared.get(clock);
  if (!timers) shared.set(clock, (timers = new EmulatedTimers(clock)));
  return timers;
}

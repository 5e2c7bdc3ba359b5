import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Why a move of the clock was refused (answered 400 by /_localtrail/clock). */
export class ClockError extends Error {}

export type ClockListener = (change: { from: Date; to: Date }) => void;

/**
 * The emulator's one source of emulated time: every eventTime, creation date, credential expiry, delivery
 * and digest period, retention window, schedule and Insights window reads it. Tests and trainers move it
 * forward (POST /_localtrail/clock); from there it runs on at real speed. Signature clock-skew checks do
 * not use it: clients sign with the machine's time.
 */
export class Clock {
  private offsetMs = 0;
  private moved = false;
  private readonly listeners: ClockListener[] = [];

  /**
   * @param machine the machine's time (tests pin it); emulated time is machine time plus an offset.
   * @param file where the offset is kept, so a restart continues the emulated timeline instead of jumping
   *   back before events already recorded; undefined when ephemeral.
   */
  constructor(
    private readonly machine: () => Date = () => new Date(),
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      try {
        const saved = JSON.parse(readFileSync(file, "utf8")) as { offsetMs?: unknown };
        if (typeof saved.offsetMs === "number" && Number.isFinite(saved.offsetMs) && saved.offsetMs > 0) {
          this.offsetMs = saved.offsetMs;
          this.moved = true;
        }
      } catch {
        // A damaged clock file costs the offset, never the start.
      }
    }
  }

  /** Emulated time. */
  now(): Date {
    const machine = this.machine();
    return this.moved ? new Date(machine.getTime() + this.offsetMs) : machine;
  }

  /** The machine's own time, for checks that compare with what clients read off their clocks. */
  machineNow(): Date {
    return this.machine();
  }

  /** True while emulated time is the machine's time. */
  get real(): boolean {
    return !this.moved;
  }

  /** Jumps to `to`; moving backwards is refused, since recorded history would then lie in the future. */
  set(to: Date): Date {
    if (Number.isNaN(to.getTime())) throw new ClockError("Not a time.");
    const from = this.now();
    if (to.getTime() < from.getTime()) throw new ClockError(`The clock only moves forward: ${to.toISOString()} is before ${from.toISOString()}.`);
    this.offsetMs += to.getTime() - from.getTime();
    this.moved = true;
    this.changed(from);
    return this.now();
  }

  /** Moves forward by `ms` milliseconds. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new ClockError("The clock only moves forward: the duration must be zero or more.");
    return this.set(new Date(this.now().getTime() + ms));
  }

  /**
   * Back to the machine's time. Only POST /_localtrail/reset calls it, after clearing the history that lay
   * ahead, so listeners are not told: there is nothing left to catch up on.
   */
  reset(): void {
    this.offsetMs = 0;
    this.moved = false;
    this.save();
  }

  /** Told after every move, so timers that wait for emulated time (deliveries, schedules) catch up. */
  onChange(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  private save(): void {
    if (this.file) writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
  }

  private changed(from: Date): void {
    this.save();
    const to = this.now();
    for (const listener of this.listeners) {
      try {
        listener({ from, to });
      } catch (e) {
        console.error("localtrail: clock listener:", e);
      }
    }
  }
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration of weeks, days, hours, minutes and seconds (`PT6H`, `P7D`, `P1DT2H30M`) or a number
 * of seconds, in milliseconds. Years and months are refused: their length depends on where they start.
 */
export function parseDuration(value: unknown): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new ClockError("advance: seconds must be a number, zero or more.");
    return value * 1000;
  }
  if (typeof value !== "string") throw new ClockError('advance: expected an ISO 8601 duration such as "PT6H" or a number of seconds.');
  const m = DURATION.exec(value.trim().toUpperCase());
  if (!m || value.trim().toUpperCase() === "P" || value.trim().toUpperCase().endsWith("T")) {
    throw new ClockError(`advance: not an ISO 8601 duration of weeks, days, hours, minutes or seconds: ${value}`);
  }
  const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

/**
 * Maps keyed by strings a client chose (a log group name, an IAM policy name: `__proto__` and
 * `constructor` are valid ones). Plain `map[key]` would read what every object inherits, and plain
 * assignment of `__proto__` would replace the map's prototype instead of adding an entry.
 */

/** The value stored under `key` itself, never an inherited one. */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Stores `value` as an own entry of `map`, whatever the key. */
export function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

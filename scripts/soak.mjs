#!/usr/bin/env node
/**
 * `npm run soak [-- --rounds N]`: the robustness tests of the suite at a size too long for every CI run:
 * N fuzzer seeds over every operation of every service (test/fuzz), and N kill -9 rounds under concurrent
 * writers, each followed by a check that every acknowledged call kept its state and its record
 * (test/e2e/crash-recovery.test.ts, test/e2e/durability.test.ts). `npm test` runs the same files with
 * one seed and three kills; `--rounds 1` is a quick check. Default: 10 rounds (about two minutes on a 2-core machine).
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error("--rounds takes a whole number of 1 or more");
  process.exit(2);
}
const files = ["test/fuzz", "test/e2e/crash-recovery.test.ts", "test/e2e/durability.test.ts"];
console.log(`soak: ${rounds} fuzzer seed(s), ${rounds} kill -9 round(s) per crash test`);
const result = spawnSync("npx", ["vitest", "run", ...files], {
  stdio: "inherit",
  env: { ...process.env, LOCALTRAIL_FUZZ_SEEDS: String(rounds), LOCALTRAIL_CRASH_ROUNDS: String(rounds) },
});
process.exit(result.status ?? 1);

import { configDefaults, defineConfig } from "vitest/config";

/**
 * Long runs (the bench's smoke run, a 100,000-event import and export, the fuzzer over every operation) are
 * `npm run test:long`, so that `npm test` stays under five minutes on a 2-core machine; CI runs both.
 */
const LONG = ["test/bench/**/*.test.ts", "test/e2e/sql-import-export.test.ts", "test/fuzz/operations.test.ts"];
const long = process.env.LOCALTRAIL_TESTS === "long";

export default defineConfig({
  test: {
    include: long ? LONG : ["test/**/*.test.ts"],
    exclude: long ? configDefaults.exclude : [...configDefaults.exclude, ...LONG],
    globalSetup: ["test/helpers/global-setup.ts"],
    // A guard against a hung test, not a budget: tests driving the AWS CLI or Chromium take as long as the
    // machine needs (a busy 2-core machine runs the EC2 CLI script several times slower than a quiet one).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Real clients (the AWS CLI, boto3) are separate processes; a few files at a time keep the machine responsive.
    maxWorkers: 4,
    // Files share a worker's loaded modules (the SDK clients, the emulator): loading them once per worker instead
    // of once per file cuts the suite's CPU by about 40%. Every test starts its own server, so no state is shared.
    isolate: false,
  },
});

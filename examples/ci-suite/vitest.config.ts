import { defineConfig } from "vitest/config";

// The CI example on its own: `npx vitest run --config examples/ci-suite/vitest.config.ts`.
export default defineConfig({
  test: { root: import.meta.dirname, include: ["*.test.ts"], testTimeout: 600_000, hookTimeout: 600_000 },
});

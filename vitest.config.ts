import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real clients (the AWS CLI, boto3) are separate processes; a few files at a time keep the machine responsive.
    maxWorkers: 4,
  },
});

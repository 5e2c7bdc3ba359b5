import type { OperationDef, OperationTypes, RegisteredService, ServiceDefinition } from "./types/service.js";
import { codecFor } from "./protocols/codecs.js";
import { loadModel, serviceMetadata } from "./protocols/models.js";

/**
 * Declares a service with its operation table, typed by the generated `Operations` of its model, so a
 * handler's input and output are checked against the model's shapes.
 */
export function defineService<Ops extends OperationTypes<Ops>>(definition: ServiceDefinition<Ops>): ServiceDefinition {
  // The engine holds every service alike; the codec has checked each input against the model, so erasing
  // the per-operation types here loses nothing at run time.
  return definition as unknown as ServiceDefinition;
}

/** The engine's view of the services: each with its lazily loaded model and its protocol's codec. */
export function registerServices(definitions: ServiceDefinition[]): Map<string, RegisteredService> {
  const metadata = serviceMetadata();
  const services = new Map<string, RegisteredService>();
  for (const definition of definitions) {
    const meta = metadata[definition.name];
    if (!meta) throw new Error(`no generated descriptor for ${definition.name}`);
    services.set(definition.name, {
      definition,
      model: () => loadModel(definition.name),
      codec: () => codecFor(meta.protocol),
      operation: (name) => (Object.hasOwn(definition.operations, name) ? (definition.operations[name] as OperationDef<unknown, unknown> | undefined) : undefined),
    });
  }
  return services;
}

/** Routing facts of the registered services only. */
export function registeredMetadata(services: Map<string, RegisteredService>) {
  const all = serviceMetadata();
  return Object.fromEntries([...services.keys()].map((name) => [name, all[name]!]));
}

import type { ListShape, MapShape, MemberRef, ServiceModel, Shape, StructureShape } from "../types/model.js";

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} is not in the ${model.metadata.serviceId} model`);
  return shape;
}

export function structureOf(model: ServiceModel, name: string): StructureShape {
  const shape = shapeOf(model, name);
  if (shape.type !== "structure") throw new Error(`shape ${name} is not a structure`);
  return shape;
}

export const isList = (s: Shape): s is ListShape => s.type === "list";
export const isMap = (s: Shape): s is MapShape => s.type === "map";
export const isStructure = (s: Shape): s is StructureShape => s.type === "structure";

/** The model's error shape for an error name, if the model has one. */
export function errorShape(model: ServiceModel, name: string): StructureShape | undefined {
  const shape = model.shapes[name];
  return shape && shape.type === "structure" && (shape.exception || shape.error) ? shape : undefined;
}

/**
 * Wire code and HTTP status of an error: the error's own status, else the model's, else 400. The XML
 * protocols send the model's code (`NoSuchEntity` for NoSuchEntityException); the JSON protocols the
 * shape name itself.
 */
export function wireError(model: ServiceModel, name: string, status: number | undefined, useModelCode: boolean): { code: string; status: number } {
  const shape = errorShape(model, name);
  return {
    code: (useModelCode ? shape?.error?.code : undefined) ?? name,
    status: status ?? shape?.error?.httpStatusCode ?? 400,
  };
}

/** A member's name on the wire: its locationName when the model gives one. */
export const wireName = (memberName: string, ref: MemberRef): string => ref.locationName ?? memberName;

export const lowerFirst = (s: string) => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);

export { setEntry } from "../state/own-entries.js";

/** A structure's members in model order, as entries: worked out once per shape, not per call. */
const entriesByShape = new WeakMap<StructureShape, { entries: [string, MemberRef][]; index: Map<string, number> }>();
function memberTable(shape: StructureShape): { entries: [string, MemberRef][]; index: Map<string, number> } {
  let table = entriesByShape.get(shape);
  if (!table) {
    const entries = Object.entries(shape.members);
    entriesByShape.set(shape, (table = { entries, index: new Map(entries.map(([name], i) => [name, i])) }));
  }
  return table;
}

export const membersOf = (shape: StructureShape): [string, MemberRef][] => memberTable(shape).entries;

/**
 * The members a value sets (not undefined), in model order. A call sets a few of a large shape's members
 * (S3 PutObject's input has 60): the value's own keys are walked then, not every member.
 */
export function presentMembers(shape: StructureShape, value: Record<string, unknown>): [string, MemberRef][] {
  const { entries, index } = memberTable(shape);
  const out: [string, MemberRef][] = [];
  if (entries.length <= 8) {
    for (const entry of entries) if (value[entry[0]] !== undefined) out.push(entry);
    return out;
  }
  const found: number[] = [];
  for (const key in value) {
    if (value[key] === undefined) continue;
    const i = index.get(key);
    if (i !== undefined) found.push(i);
  }
  if (found.length > 1) found.sort((a, b) => a - b);
  for (const i of found) out.push(entries[i]!);
  return out;
}

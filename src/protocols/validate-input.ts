import { AwsError } from "../types/aws-error.js";
import type { ServiceModel, Shape } from "../types/model.js";
import type { ValidationStyle } from "../types/service.js";
import { lowerFirst, presentMembers, shapeOf } from "./shapes.js";

/**
 * Checks a decoded input against the model's constraints (required members, lengths, ranges, patterns,
 * enums) and reports every violation at once, in the words AWS uses:
 * `2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; ...`
 */
export function validateInput(model: ServiceModel, shapeName: string, input: Record<string, unknown>, style: ValidationStyle): void {
  const problems: string[] = [];
  check(model, shapeOf(model, shapeName), input, "", style.constraints, problems);
  if (problems.length === 0) return;
  const n = problems.length;
  throw new AwsError(style.code, `${n} validation error${n > 1 ? "s" : ""} detected: ${problems.join("; ")}`, {
    status: style.status ?? 400,
    recordedCode: style.recordedCode,
  });
}

function check(model: ServiceModel, shape: Shape, value: unknown, path: string, constraints: boolean, problems: string[]): void {
  const at = (p: string) => `at '${p}' failed to satisfy constraint: Member must`;
  switch (shape.type) {
    case "structure": {
      const object = (value ?? {}) as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (object[required] === undefined) problems.push(`Value null ${at(join(path, lowerFirst(required)))} not be null`);
      }
      for (const [name, ref] of presentMembers(shape, object)) check(model, shapeOf(model, ref.shape), object[name], join(path, lowerFirst(name)), constraints, problems);
      return;
    }
    case "list": {
      const items = value as unknown[];
      if (constraints) lengthProblems(items.length, shape.min, shape.max, `Value '[${items.join(", ")}]' ${at(path)}`, problems);
      items.forEach((item, i) => check(model, shapeOf(model, shape.member.shape), item, `${path}.${i + 1}.member`, constraints, problems));
      return;
    }
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>);
      if (constraints) lengthProblems(entries.length, shape.min, shape.max, `Value '{...}' ${at(path)}`, problems);
      for (const [k, v] of entries) check(model, shapeOf(model, shape.value.shape), v, `${path}.${k}`, constraints, problems);
      return;
    }
    case "string": {
      if (!constraints) return;
      const s = value as string;
      const prefix = `Value '${s}' ${at(path)}`;
      lengthProblems([...s].length, shape.min, shape.max, prefix, problems);
      if (shape.enum && !shape.enum.includes(s)) problems.push(`${prefix} satisfy enum value set: [${shape.enum.join(", ")}]`);
      else if (shape.pattern && s.length > 0 && !matchesPattern(shape.pattern, s)) problems.push(`${prefix} satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case "integer":
    case "long":
    case "float":
    case "double": {
      if (!constraints) return;
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) problems.push(`Value '${n}' ${at(path)} have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) problems.push(`Value '${n}' ${at(path)} have value less than or equal to ${shape.max}`);
      return;
    }
    case "blob": {
      if (constraints && value instanceof Uint8Array) lengthProblems(value.length, shape.min, shape.max, `Value ${at(path)}`, problems);
      return;
    }
    default:
      return;
  }
}

function lengthProblems(length: number, min: number | undefined, max: number | undefined, prefix: string, problems: string[]): void {
  if (min !== undefined && length < min) problems.push(`${prefix} have length greater than or equal to ${min}`);
  if (max !== undefined && length > max) problems.push(`${prefix} have length less than or equal to ${max}`);
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

// Model patterns are Java regexes matched against the whole value. One that JavaScript cannot compile
// is not checked rather than rejecting valid input.
const compiled = new Map<string, RegExp | null>();
function matchesPattern(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, "su");
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return re === null || re.test(value);
}

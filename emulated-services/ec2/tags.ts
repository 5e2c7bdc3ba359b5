import type { Tag, TagDescription, TagSpecification } from "../../src/generated/types/ec2.js";
import type { AwsError } from "../../src/types/aws-error.js";
import {
  ec2Error,
  groupNotFound,
  instanceNotFound,
  internetGatewayNotFound,
  invalidParameterValue,
  keyPairNotFound,
  routeTableNotFound,
  securityGroupRuleNotFound,
  subnetNotFound,
  vpcNotFound,
} from "./errors.js";
import { applyFilters } from "./filters.js";
import { resourceTypeOf } from "./ids.js";
import type { Op } from "./op.js";
import { paginate } from "./paging.js";
import { ec2State } from "./region-state.js";
import type { Ec2State, StoredTag } from "./state.js";

// A resource holds at most 50 tags (Amazon EC2 User Guide, "Tag restrictions").
const MAX_TAGS = 50;

export const tagsOf = (state: Ec2State, resourceId: string): StoredTag[] => state.tags[resourceId] ?? [];

/** Tags as the API returns them (the stored ones are already Key/Value pairs). */
export const tagList = (state: Ec2State, resourceId: string): Tag[] => tagsOf(state, resourceId).map((t) => ({ Key: t.Key, Value: t.Value }));

/** Adds or overwrites tags by key, keeping the order they were first added in. */
export function addTags(state: Ec2State, resourceId: string, tags: StoredTag[]): void {
  if (tags.length === 0) return;
  const current = [...tagsOf(state, resourceId)];
  for (const tag of tags) {
    const existing = current.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else current.push({ ...tag });
  }
  if (current.length > MAX_TAGS) throw ec2Error("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
  state.tags[resourceId] = current;
}

export function dropTags(state: Ec2State, resourceId: string): void {
  delete state.tags[resourceId];
}

/** Checks tags a caller set: keys 1-128 characters, not starting with `aws:`; values up to 256. */
export function checkTags(tags: Tag[] | undefined): StoredTag[] {
  return (tags ?? []).map((tag) => {
    const key = tag.Key ?? "";
    const value = tag.Value ?? "";
    if (key.length === 0 || key.length > 128) throw invalidParameterValue(`Tag key must be between 1 and 128 characters long: '${key}'`);
    if (value.length > 256) throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters: '${value}'`);
    if (key.toLowerCase().startsWith("aws:")) throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    return { Key: key, Value: value };
  });
}

/**
 * The tags TagSpecifications give one kind of resource a Create* call makes. A resource type the call does
 * not create is InvalidParameterValue, as EC2 answers.
 */
export function specifiedTags(specs: TagSpecification[] | undefined, resourceType: string, allowed: string[] = [resourceType]): StoredTag[] {
  const tags: StoredTag[] = [];
  for (const spec of specs ?? []) {
    const type = spec.ResourceType as string | undefined;
    if (!type) throw invalidParameterValue("A tag specification must specify a resource type.");
    if (!allowed.includes(type)) throw invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    if (type === resourceType) tags.push(...checkTags(spec.Tags));
  }
  return tags;
}

/** Whether a resource id names something that exists in this region (CreateTags and DeleteTags check it). */
function resourceExists(state: Ec2State, id: string): boolean | undefined {
  switch (resourceTypeOf(id)) {
    case "vpc":
      return Object.hasOwn(state.vpcs, id);
    case "subnet":
      return Object.hasOwn(state.subnets, id);
    case "internet-gateway":
      return Object.hasOwn(state.internetGateways, id);
    case "route-table":
      return Object.hasOwn(state.routeTables, id);
    case "security-group":
      return Object.hasOwn(state.securityGroups, id);
    case "security-group-rule":
      return Object.values(state.securityGroups).some((g) => g.rules.some((r) => r.ruleId === id));
    case "instance":
      return Object.hasOwn(state.instances, id);
    case "key-pair":
      return Object.hasOwn(state.keyPairs, id);
    case "network-interface":
      return Object.values(state.instances).some((i) => i.networkInterfaceId === id && i.state !== "terminated");
    case "volume":
      return Object.values(state.instances).some((i) => i.rootVolumeId === id && i.state !== "terminated");
    case "network-acl":
      return Object.values(state.vpcs).some((v) => v.defaultNetworkAclId === id);
    case "dhcp-options":
      return id === state.dhcpOptionsId;
    default:
      return undefined;
  }
}

function checkResources(state: Ec2State, ids: string[]): void {
  for (const id of ids) {
    const exists = resourceExists(state, id);
    if (exists === undefined) throw ec2Error("InvalidID", `The ID '${id}' is not valid`);
    if (!exists) throw resourceNotFound(id);
  }
}

/** The NotFound error of each kind of resource, as the kind's own Describe call would answer. */
function resourceNotFound(id: string): AwsError {
  switch (resourceTypeOf(id)) {
    case "vpc":
      return vpcNotFound([id]);
    case "subnet":
      return subnetNotFound([id]);
    case "internet-gateway":
      return internetGatewayNotFound([id]);
    case "route-table":
      return routeTableNotFound([id]);
    case "security-group":
      return groupNotFound(id);
    case "security-group-rule":
      return securityGroupRuleNotFound(id);
    case "instance":
      return instanceNotFound([id]);
    case "key-pair":
      return keyPairNotFound(id);
    default:
      return ec2Error("InvalidID", `The ID '${id}' is not valid`);
  }
}

export const createTags: Op<"CreateTags"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkResources(state, input.Resources);
  const tags = checkTags(input.Tags);
  for (const id of input.Resources) addTags(state, id, tags);
};

/** DeleteTags: a tag with a value deletes only if the value matches; no tags at all deletes every tag. */
export const deleteTags: Op<"DeleteTags"> = (input, ctx) => {
  const state = ec2State(ctx);
  checkResources(state, input.Resources);
  for (const id of input.Resources) {
    if (!input.Tags || input.Tags.length === 0) {
      dropTags(state, id);
      continue;
    }
    const remaining = tagsOf(state, id).filter((t) => !input.Tags!.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
    if (remaining.length > 0) state.tags[id] = remaining;
    else dropTags(state, id);
  }
};

interface TagRow {
  resourceId: string;
  resourceType: string;
  tag: StoredTag;
}

export const describeTags: Op<"DescribeTags"> = (input, ctx) => {
  const state = ec2State(ctx);
  const rows: TagRow[] = Object.entries(state.tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([resourceId, tags]) => tags.map((tag) => ({ resourceId, resourceType: resourceTypeOf(resourceId) ?? "", tag })));
  const filtered = applyFilters(rows, input.Filters, {
    key: (r) => r.tag.Key,
    value: (r) => r.tag.Value,
    "resource-id": (r) => r.resourceId,
    "resource-type": (r) => r.resourceType,
  });
  const page = paginate(filtered, input.MaxResults, input.NextToken, "DescribeTags");
  return {
    Tags: page.items.map(
      (r): TagDescription => ({ ResourceId: r.resourceId, ResourceType: r.resourceType as TagDescription["ResourceType"], Key: r.tag.Key, Value: r.tag.Value }),
    ),
    NextToken: page.nextToken,
  };
};

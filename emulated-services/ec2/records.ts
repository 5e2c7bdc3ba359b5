import type { RunInstancesRequest } from "../../src/generated/types/ec2.js";
import { ec2ParameterName } from "../../src/protocols/ec2.js";
import { loadModel } from "../../src/protocols/models.js";
import { shapeOf } from "../../src/protocols/shapes.js";
import { EC2_SENSITIVE } from "../../src/recorder/shape-record.js";
import type { LookupResource } from "../../src/types/cloudtrail-record.js";
import type { MemberRef } from "../../src/types/model.js";
import type { AuditFacts, AuditView } from "../../src/types/service.js";
import { renameKeys, TAG_SPECIFICATIONS } from "./record-names.js";

type Shaped = Record<string, unknown> | null;
type View = AuditView<unknown, unknown>;

/**
 * EC2's responseElements start with the request id (the record's requestID); an operation that answers
 * nothing but `<return>true</return>` records `{"requestId": ..., "_return": true}`.
 */
export function withRequestId(call: View, shaped: Shaped, hasOutput: boolean): Record<string, unknown> {
  return { requestId: call.requestId, ...(hasOutput ? shaped : { _return: true }) };
}

/** CreateSecurityGroup answers `<return>true</return>` beside its modelled members. */
export const withReturn = (shaped: Shaped): Record<string, unknown> => {
  const { requestId, ...rest } = shaped ?? {};
  return { requestId, _return: true, ...rest };
};

const present = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * RunInstances records its image and counts as one item of an `instancesSet`, its security groups as a
 * `groupSet`, and writes the defaults of monitoring, API termination and API stop even when not given (a
 * real record written for AWS Auto Scaling, and the CloudTrail reference's example).
 */
export function runInstancesRequest(call: View, shaped: () => Shaped): Record<string, unknown> {
  const input = call.input as RunInstancesRequest;
  const s = shaped() ?? {};
  const {
    imageId,
    minCount,
    maxCount,
    keyName,
    securityGroupId: _ids,
    securityGroup: _names,
    placement,
    networkInterface,
    tagSpecification,
    blockDeviceMapping,
    monitoring,
    disableApiTermination,
    disableApiStop,
    ...rest
  } = s;
  const groups = [...(input.SecurityGroupIds ?? []).map((groupId) => ({ groupId })), ...(input.SecurityGroups ?? []).map((groupName) => ({ groupName }))];
  const { availabilityZone, ...otherPlacement } = (placement ?? {}) as Record<string, unknown>;
  const named = renameKeys({ networkInterface, tagSpecification }, { networkInterface: { set: "networkInterfaceSet" }, tagSpecification: TAG_SPECIFICATIONS });
  return present({
    instancesSet: { items: [present({ imageId, minCount, maxCount, keyName })] },
    groupSet: groups.length > 0 ? { items: groups } : undefined,
    instanceType: rest.instanceType,
    blockDeviceMapping: blockDeviceMapping ?? {},
    availabilityZone,
    placement: Object.keys(otherPlacement).length > 0 ? otherPlacement : undefined,
    monitoring: monitoring ?? { enabled: false },
    disableApiTermination: disableApiTermination ?? false,
    disableApiStop: disableApiStop ?? false,
    ...rest,
    ...named,
  });
}

// The key order of an instance in a real RunInstances record (the rest follow in model order).
const INSTANCE_ORDER = [
  "instanceId",
  "imageId",
  "currentInstanceBootMode",
  "instanceState",
  "privateDnsName",
  "dnsName",
  "reason",
  "keyName",
  "amiLaunchIndex",
  "productCodes",
  "instanceType",
  "launchTime",
  "placement",
  "platform",
  "monitoring",
  "subnetId",
  "vpcId",
  "privateIpAddress",
  "ipAddress",
  "stateReason",
  "architecture",
  "rootDeviceType",
  "rootDeviceName",
  "blockDeviceMapping",
  "virtualizationType",
  "hypervisor",
  "tagSet",
  "clientToken",
  "groupSet",
  "sourceDestCheck",
  "networkInterfaceSet",
  "iamInstanceProfile",
  "ebsOptimized",
  "enaSupport",
  "cpuOptions",
  "capacityReservationSpecification",
  "hibernationOptions",
  "enclaveOptions",
  "metadataOptions",
  "maintenanceOptions",
  "privateDnsNameOptions",
];

function ordered(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of INSTANCE_ORDER) if (item[key] !== undefined) out[key] = item[key];
  for (const [key, value] of Object.entries(item)) if (!(key in out)) out[key] = value;
  return withoutEmptyStrings(out) as Record<string, unknown>;
}

/** The record leaves out what the instance has no value for yet (`dnsName`, `reason`, a description). */
function withoutEmptyStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyStrings);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== "")
      .map(([k, v]) => [k, withoutEmptyStrings(v)]),
  );
}

/**
 * A network interface as RunInstances records it: with an empty `tagSet`, and its addresses under
 * `privateIpAddressesSet.item`, singular (both in real records of 2015 and 2023).
 */
function recordedInterface(item: Record<string, unknown>): Record<string, unknown> {
  const { privateIpAddressesSet, ...rest } = item;
  const addresses = (privateIpAddressesSet as { items?: unknown[] } | undefined)?.items;
  return { ...rest, ...(addresses ? { privateIpAddressesSet: { item: addresses } } : {}), tagSet: {} };
}

function recordedInstance(item: Record<string, unknown>): Record<string, unknown> {
  const interfaces = (item.networkInterfaceSet as { items?: Record<string, unknown>[] } | undefined)?.items;
  return ordered(interfaces ? { ...item, networkInterfaceSet: { items: interfaces.map(recordedInterface) } } : item);
}

/** The reservation as RunInstances records it: request id, reservation, owner, groups, instances. */
export function runInstancesResponse(shaped: Shaped): Record<string, unknown> {
  const { requestId, reservationId, ownerId, groupSet, instancesSet, ...rest } = shaped ?? {};
  const items = ((instancesSet as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).map(recordedInstance);
  return present({ requestId, reservationId, ownerId, groupSet: groupSet ?? {}, instancesSet: { items }, ...rest });
}

/**
 * EC2's newer operations record the request as the client sent it, wrapped in `<Operation>Request`: query
 * names, list items numbered by a `tag` and strings as `content`, a one-item list as the item itself
 * (`"SecurityGroupId": [{"tag": 1, "content": "sg-..."}]` in a real CreateLaunchTemplate record;
 * DescribeSecurityGroupRules records `DescribeSecurityGroupRulesRequest`).
 */
export const wrappedRequest =
  (operation: string) =>
  (call: View): Record<string, unknown> => {
    const model = loadModel("ec2");
    const inputShape = model.operations[operation]!.input!.shape;
    return { [`${operation}Request`]: wrapValue({ shape: inputShape }, call.input) as Record<string, unknown> };
  };

function wrapValue(ref: MemberRef, value: unknown): unknown {
  const model = loadModel("ec2");
  const shape = shapeOf(model, ref.shape);
  if (shape.sensitive) return EC2_SENSITIVE;
  if (shape.type === "structure") {
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.members)) {
      if (object[name] !== undefined) out[ec2ParameterName(name, member)] = wrapValue(member, object[name]);
    }
    return out;
  }
  if (shape.type === "list") {
    const items = (value as unknown[]).map((item, i) => {
      const wrapped = wrapValue(shape.member, item);
      return typeof wrapped === "object" && wrapped !== null ? { tag: i + 1, ...wrapped } : { tag: i + 1, content: wrapped };
    });
    return items.length === 1 ? items[0] : items;
  }
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

/** LookupEvents resource types of EC2 ids, by prefix (CloudTrail's supported resource types). */
const RESOURCE_TYPES: [RegExp, string][] = [
  [/^i-[0-9a-f]+$/, "AWS::EC2::Instance"],
  [/^vpc-[0-9a-f]+$/, "AWS::EC2::VPC"],
  [/^subnet-[0-9a-f]+$/, "AWS::EC2::Subnet"],
  [/^sg-[0-9a-f]+$/, "AWS::EC2::SecurityGroup"],
  [/^igw-[0-9a-f]+$/, "AWS::EC2::InternetGateway"],
  [/^rtb-[0-9a-f]+$/, "AWS::EC2::RouteTable"],
  [/^ami-[0-9a-f]+$/, "AWS::EC2::Ami"],
  [/^eni-[0-9a-f]+$/, "AWS::EC2::NetworkInterface"],
  [/^vol-[0-9a-f]+$/, "AWS::EC2::Volume"],
  [/^acl-[0-9a-f]+$/, "AWS::EC2::NetworkAcl"],
  [/^dopt-[0-9a-f]+$/, "AWS::EC2::DHCPOptions"],
];

/**
 * The resources an EC2 event names: every EC2 id in the request, and for a write the ids in its answer
 * (RunInstances' new instances, CreateVpc's VPC), found wherever they sit, in lists too.
 */
export function ec2LookupResources(call: View, readOnly: boolean): LookupResource[] {
  const found: LookupResource[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || value === undefined) return;
    if (typeof value === "string") {
      const type = RESOURCE_TYPES.find(([pattern]) => pattern.test(value))?.[1];
      if (type && !found.some((r) => r.type === type && r.name === value)) found.push({ type, name: value });
      return;
    }
    if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    else if (typeof value === "object" && !(value instanceof Date) && !(value instanceof Uint8Array)) Object.values(value).forEach((v) => visit(v, depth + 1));
  };
  visit(call.input, 0);
  if (!readOnly && !call.error) visit(call.output, 0);
  return found;
}

/** Audit facts every EC2 operation shares, merged under its own. */
export function ec2Audit(operation: string, own: AuditFacts<unknown, unknown> = {}): AuditFacts<unknown, unknown> {
  const readOnly = own.readOnly ?? /^Describe/.test(operation);
  // The model is read when a record is built, not when the service loads: most runs never touch EC2.
  const hasOutput = () => loadModel("ec2").operations[operation]?.output !== undefined;
  return {
    ...own,
    responseElements: (call, shaped) => {
      const base = withRequestId(call, shaped(), hasOutput());
      return own.responseElements ? own.responseElements(call, () => base) : base;
    },
    lookupResources: (call) => [...ec2LookupResources(call, readOnly), ...(own.lookupResources?.(call) ?? [])],
  };
}

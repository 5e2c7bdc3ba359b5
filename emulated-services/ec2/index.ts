import type { Operations, StopInstancesRequest } from "../../src/generated/types/ec2.js";
import { defineService } from "../../src/registry.js";
import { ec2Authorization } from "./authorization.js";
import type { AuditView, OperationDef, OperationTable } from "../../src/types/service.js";
import { describeAccountAttributes } from "./account-attributes.js";
import { withDryRun } from "./dry-run.js";
import { describeImages } from "./images.js";
import { modifyInstanceAttribute, describeInstanceAttribute } from "./instance-attributes.js";
import { rebootInstances, startInstances, stopInstances, terminateInstances } from "./instance-actions.js";
import { describeInstances, describeInstanceStatus } from "./instances.js";
import { attachInternetGateway, createInternetGateway, deleteInternetGateway, describeInternetGateways, detachInternetGateway } from "./internet-gateways.js";
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from "./key-pairs.js";
import { describeAddresses, describeNetworkInterfaces, describeVolumes } from "./instance-resources.js";
import { describeInstanceCreditSpecifications, describeInstanceTypes } from "./instance-types.js";
import { describeNetworkAcls } from "./network-acls.js";
import { FILTERS, legacyRequest, TAG_SPECIFICATIONS, type LegacySets } from "./record-names.js";
import { ec2Audit, runInstancesRequest, runInstancesResponse, withReturn, wrappedRequest } from "./records.js";
import { describeAvailabilityZones, describeRegions } from "./regions.js";
import {
  associateRouteTable,
  createRoute,
  createRouteTable,
  deleteRoute,
  deleteRouteTable,
  describeRouteTables,
  disassociateRouteTable,
  replaceRoute,
} from "./route-tables.js";
import { runInstances } from "./run-instances.js";
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  createSecurityGroup,
  deleteSecurityGroup,
  describeSecurityGroupRules,
  describeSecurityGroups,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from "./security-groups.js";
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from "./subnets.js";
import { createTags, deleteTags, describeTags } from "./tags.js";
import { createDefaultVpc, createVpc, deleteVpc, describeVpcAttribute, describeVpcs, modifyVpcAttribute } from "./vpcs.js";

/** A Describe call's id list, named `<set>` with items `{<item>: id}`, written as {} when not given. */
const ids = (set: string, item: string): LegacySets[string] => ({ set, item, always: true });
const tagged = { requestParameters: legacyRequest({ tagSpecification: TAG_SPECIFICATIONS }) };
const instancesSet = { requestParameters: legacyRequest({ instanceId: { set: "instancesSet", item: "instanceId" } }) };
/** StopInstances: AWS records `force` (false by default) even when the caller sent none (CloudTrail User Guide example). */
const stopInstancesSet = {
  requestParameters: (call: AuditView<StopInstancesRequest, unknown>, shaped: () => Record<string, unknown> | null) => {
    const named = instancesSet.requestParameters(call, shaped);
    return named && { ...named, force: call.input?.Force ?? false };
  },
};
const sgRules = {
  requestParameters: legacyRequest({
    ipPermissions: {
      set: "ipPermissions",
      inner: {
        groups: { set: "groups", always: true },
        ipRanges: { set: "ipRanges", always: true },
        ipv6Ranges: { set: "ipv6Ranges", always: true },
        prefixListIds: { set: "prefixListIds", always: true },
      },
    },
    tagSpecification: TAG_SPECIFICATIONS,
  }),
};

/** EC2: the operation table. One row per operation; audit facts where EC2's records differ from the generic shape. */
const operations: OperationTable<Operations> = {
  CreateVpc: { handler: createVpc, audit: tagged },
  DescribeVpcs: { handler: describeVpcs, audit: { requestParameters: legacyRequest({ vpcId: ids("vpcSet", "vpcId"), filter: FILTERS }) } },
  DeleteVpc: { handler: deleteVpc },
  CreateDefaultVpc: { handler: createDefaultVpc },
  ModifyVpcAttribute: { handler: modifyVpcAttribute },
  DescribeVpcAttribute: { handler: describeVpcAttribute },

  CreateSubnet: { handler: createSubnet, audit: tagged },
  DescribeSubnets: { handler: describeSubnets, audit: { requestParameters: legacyRequest({ subnetId: ids("subnetSet", "subnetId"), filter: FILTERS }) } },
  DeleteSubnet: { handler: deleteSubnet },
  ModifySubnetAttribute: { handler: modifySubnetAttribute },

  CreateInternetGateway: { handler: createInternetGateway, audit: tagged },
  AttachInternetGateway: { handler: attachInternetGateway },
  DetachInternetGateway: { handler: detachInternetGateway },
  DeleteInternetGateway: { handler: deleteInternetGateway },
  DescribeInternetGateways: {
    handler: describeInternetGateways,
    audit: { requestParameters: legacyRequest({ internetGatewayId: ids("internetGatewayIdSet", "internetGatewayId"), filter: FILTERS }) },
  },

  CreateRouteTable: { handler: createRouteTable, audit: tagged },
  CreateRoute: { handler: createRoute },
  ReplaceRoute: { handler: replaceRoute },
  DeleteRoute: { handler: deleteRoute },
  AssociateRouteTable: { handler: associateRouteTable },
  DisassociateRouteTable: { handler: disassociateRouteTable },
  DeleteRouteTable: { handler: deleteRouteTable },
  DescribeRouteTables: {
    handler: describeRouteTables,
    audit: { requestParameters: legacyRequest({ routeTableId: ids("routeTableIdSet", "routeTableId"), filter: FILTERS }) },
  },

  // CreateSecurityGroup also answers <return>true</return>, which the model leaves out.
  CreateSecurityGroup: { handler: createSecurityGroup, audit: { ...tagged, responseElements: (_call, shaped) => withReturn(shaped()) } },
  DescribeSecurityGroups: {
    handler: describeSecurityGroups,
    audit: {
      requestParameters: legacyRequest({ groupName: ids("securityGroupSet", "groupName"), groupId: ids("securityGroupIdSet", "groupId"), filter: FILTERS }),
    },
  },
  DeleteSecurityGroup: { handler: deleteSecurityGroup },
  AuthorizeSecurityGroupIngress: { handler: authorizeSecurityGroupIngress, audit: sgRules },
  AuthorizeSecurityGroupEgress: { handler: authorizeSecurityGroupEgress, audit: sgRules },
  RevokeSecurityGroupIngress: { handler: revokeSecurityGroupIngress, audit: sgRules },
  RevokeSecurityGroupEgress: { handler: revokeSecurityGroupEgress, audit: sgRules },
  DescribeSecurityGroupRules: { handler: describeSecurityGroupRules, audit: { requestParameters: wrappedRequest("DescribeSecurityGroupRules") } },

  CreateKeyPair: { handler: createKeyPair, audit: tagged },
  ImportKeyPair: { handler: importKeyPair, audit: tagged },
  DescribeKeyPairs: {
    handler: describeKeyPairs,
    audit: { requestParameters: legacyRequest({ keyName: ids("keySet", "keyName"), keyPairId: { set: "keyPairIdSet", item: "keyPairId" }, filter: FILTERS }) },
  },
  DeleteKeyPair: { handler: deleteKeyPair },

  DescribeImages: {
    handler: describeImages,
    audit: {
      requestParameters: legacyRequest({
        executableBy: ids("executableBySet", "user"),
        imageId: ids("imagesSet", "imageId"),
        owner: ids("ownersSet", "owner"),
        filter: FILTERS,
      }),
    },
  },

  RunInstances: {
    handler: runInstances,
    audit: { requestParameters: runInstancesRequest, responseElements: (_call, shaped) => runInstancesResponse(shaped()) },
  },
  DescribeInstances: { handler: describeInstances, audit: { requestParameters: legacyRequest({ instanceId: ids("instancesSet", "instanceId"), filter: FILTERS }) } },
  StartInstances: { handler: startInstances, audit: instancesSet },
  StopInstances: { handler: stopInstances, audit: stopInstancesSet },
  RebootInstances: { handler: rebootInstances, audit: instancesSet },
  TerminateInstances: { handler: terminateInstances, audit: instancesSet },
  DescribeInstanceStatus: {
    handler: describeInstanceStatus,
    audit: { requestParameters: legacyRequest({ instanceId: ids("instancesSet", "instanceId"), filter: FILTERS }) },
  },
  ModifyInstanceAttribute: { handler: modifyInstanceAttribute, audit: { requestParameters: legacyRequest({ groupId: { set: "groupSet", item: "groupId" } }) } },
  DescribeInstanceAttribute: { handler: describeInstanceAttribute },
  // APIs newer than 2016 are recorded wrapped in <Operation>Request, lists as tag/content items.
  DescribeInstanceTypes: { handler: describeInstanceTypes, audit: { requestParameters: wrappedRequest("DescribeInstanceTypes") } },
  DescribeInstanceCreditSpecifications: { handler: describeInstanceCreditSpecifications, audit: { requestParameters: wrappedRequest("DescribeInstanceCreditSpecifications") } },
  DescribeVolumes: { handler: describeVolumes, audit: { requestParameters: legacyRequest({ volumeId: ids("volumeSet", "volumeId"), filter: FILTERS }) } },
  DescribeNetworkInterfaces: {
    handler: describeNetworkInterfaces,
    audit: { requestParameters: legacyRequest({ networkInterfaceId: ids("networkInterfaceIdSet", "networkInterfaceId"), filter: FILTERS }) },
  },
  DescribeAddresses: {
    handler: describeAddresses,
    audit: { requestParameters: legacyRequest({ publicIp: ids("publicIpsSet", "publicIp"), allocationId: { set: "allocationIdsSet", item: "allocationId" }, filter: FILTERS }) },
  },
  DescribeNetworkAcls: { handler: describeNetworkAcls, audit: { requestParameters: legacyRequest({ networkAclId: ids("networkAclIdSet", "networkAclId"), filter: FILTERS }) } },

  CreateTags: {
    handler: createTags,
    audit: { requestParameters: legacyRequest({ resourceId: { set: "resourcesSet", item: "resourceId" }, tag: { set: "tagSet" } }) },
  },
  DeleteTags: {
    handler: deleteTags,
    audit: { requestParameters: legacyRequest({ resourceId: { set: "resourcesSet", item: "resourceId" }, tag: { set: "tagSet" } }) },
  },
  DescribeTags: { handler: describeTags, audit: { requestParameters: legacyRequest({ filter: FILTERS }) } },

  DescribeRegions: { handler: describeRegions, audit: { requestParameters: legacyRequest({ regionName: ids("regionSet", "regionName"), filter: FILTERS }) } },
  DescribeAvailabilityZones: {
    handler: describeAvailabilityZones,
    audit: {
      requestParameters: legacyRequest({ zoneName: ids("availabilityZoneSet", "zoneName"), zoneId: { set: "availabilityZoneIdSet", item: "zoneId" }, filter: FILTERS }),
    },
  },
  DescribeAccountAttributes: {
    handler: describeAccountAttributes,
    audit: { requestParameters: legacyRequest({ attributeName: ids("accountAttributeNameSet", "attributeName") }) },
  },
};

/** Every row gets DryRun and the audit facts all EC2 records share (request id, resources by id). */
function withEc2Defaults(table: OperationTable<Operations>): OperationTable<Operations> {
  const rows = Object.entries(table) as [string, OperationDef<unknown, unknown>][];
  return Object.fromEntries(rows.map(([name, row]) => [name, { ...withDryRun(row), audit: ec2Audit(name, row.audit) }])) as OperationTable<Operations>;
}

export const ec2 = defineService<Operations>({
  name: "ec2",
  eventSource: "ec2.amazonaws.com",
  // EC2's errors are unmodelled; the codec answers missing and unknown parameters itself.
  validation: { code: "MissingParameter", constraints: false },
  authorization: ec2Authorization,
  audit: { dateFormat: "epochMillis", resourceMembers: { KeyName: "AWS::EC2::KeyPair" } },
  operations: withEc2Defaults(operations),
});

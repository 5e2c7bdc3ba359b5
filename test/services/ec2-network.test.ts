import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateDefaultVpcCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, sdkError } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { signRequest } from "../helpers/signed-request.js";

/** An account of its own per test group: a 12-digit access key is that account's root. */
const account = (id: string) => ({ accessKeyId: id, secretAccessKey: "test" });

describe("EC2 networks: VPCs, subnets, gateways, route tables, security groups", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("gives a new region its default VPC, with a default subnet per zone, an internet gateway and a default security group", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("111111111111")));
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    expect(Vpcs).toHaveLength(1);
    const vpc = Vpcs![0]!;
    expect(vpc).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true, State: "available", OwnerId: "111111111111", InstanceTenancy: "default" });
    expect(vpc.VpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);

    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc.VpcId!] }] }));
    expect(Subnets!.map((s) => s.AvailabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
    expect(Subnets![0]).toMatchObject({ CidrBlock: "172.31.0.0/20", DefaultForAz: true, MapPublicIpOnLaunch: true, AvailableIpAddressCount: 4091 });

    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpc.VpcId!] }] }));
    expect(InternetGateways).toHaveLength(1);
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }));
    expect(SecurityGroups![0]).toMatchObject({ GroupName: "default", Description: "default VPC security group", VpcId: vpc.VpcId });
    expect(SecurityGroups![0]!.IpPermissions![0]!.UserIdGroupPairs![0]).toMatchObject({ GroupId: SecurityGroups![0]!.GroupId, UserId: "111111111111" });
    expect(SecurityGroups![0]!.IpPermissionsEgress).toEqual([
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);

    const { AccountAttributes } = await ec2.send(new DescribeAccountAttributesCommand({}));
    expect(AccountAttributes!.find((a) => a.AttributeName === "default-vpc")!.AttributeValues).toEqual([{ AttributeValue: vpc.VpcId }]);
    expect(AccountAttributes!.find((a) => a.AttributeName === "supported-platforms")!.AttributeValues).toEqual([{ AttributeValue: "VPC" }]);

    const again = await sdkError(ec2.send(new CreateDefaultVpcCommand({})));
    expect(again.name).toBe("DefaultVpcAlreadyExists");
    expect(again.$metadata.httpStatusCode).toBe(400);
  });

  it("recreates a deleted default VPC with CreateDefaultVpc, subnets and internet gateway included", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("777777777777"), "us-west-2"));
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    for (const subnet of (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!) await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    const igwId = (await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways![0]!.InternetGatewayId!;
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    const { AccountAttributes } = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["default-vpc"] }));
    expect(AccountAttributes).toEqual([{ AttributeName: "default-vpc", AttributeValues: [{ AttributeValue: "none" }] }]);
    const noDefault = await sdkError(ec2.send(new CreateSecurityGroupCommand({ GroupName: "g", Description: "g" })));
    expect([noDefault.name, noDefault.message]).toEqual(["VPCIdNotSpecified", "No default VPC for this user"]);

    const { Vpc } = await ec2.send(new CreateDefaultVpcCommand({}));
    expect(Vpc).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true });
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [Vpc!.VpcId!] }] }));
    expect(subnets.Subnets!.map((s) => [s.AvailabilityZone, s.DefaultForAz])).toEqual([
      ["us-west-2a", true],
      ["us-west-2b", true],
      ["us-west-2c", true],
      ["us-west-2d", true],
    ]);
    const gateways = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [Vpc!.VpcId!] }] }));
    expect(gateways.InternetGateways).toHaveLength(1);
  });

  it("lists the enabled regions, all of them on request, and the zones of the region called", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("111111111111")));
    const enabled = await ec2.send(new DescribeRegionsCommand({}));
    expect(enabled.Regions).toHaveLength(17);
    expect(enabled.Regions).toContainEqual({ RegionName: "eu-west-1", Endpoint: "ec2.eu-west-1.amazonaws.com", OptInStatus: "opt-in-not-required" });
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(all.Regions).toContainEqual({ RegionName: "af-south-1", Endpoint: "ec2.af-south-1.amazonaws.com", OptInStatus: "not-opted-in" });

    const ireland = new EC2Client(clientConfig(server.url, account("111111111111"), "eu-west-1"));
    const { AvailabilityZones } = await ireland.send(new DescribeAvailabilityZonesCommand({}));
    expect(AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ["eu-west-1a", "euw1-az1", "available"],
      ["eu-west-1b", "euw1-az2", "available"],
      ["eu-west-1c", "euw1-az3", "available"],
    ]);
  });

  it("builds a public subnet: VPC, subnet, internet gateway, route table with a default route, association", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("222222222222")));
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({ CidrBlock: "10.0.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "lab" }] }] }),
    );
    expect(Vpc).toMatchObject({ CidrBlock: "10.0.0.0/16", State: "pending", IsDefault: false, Tags: [{ Key: "Name", Value: "lab" }] });
    const vpcId = Vpc!.VpcId!;
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1b" }));
    expect(Subnet).toMatchObject({
      VpcId: vpcId,
      CidrBlock: "10.0.1.0/24",
      AvailabilityZone: "us-east-1b",
      AvailabilityZoneId: "use1-az2",
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      SubnetArn: `arn:aws:ec2:us-east-1:222222222222:subnet/${Subnet!.SubnetId}`,
    });
    const subnetId = Subnet!.SubnetId!;
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
    const igwId = InternetGateway!.InternetGatewayId!;
    expect(igwId).toMatch(/^igw-0[0-9a-f]{16}$/);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const rtbId = RouteTable!.RouteTableId!;
    expect(RouteTable!.Routes).toEqual([{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" }]);
    expect((await ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }))).Return).toBe(true);
    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: subnetId }));
    expect(AssociationId).toMatch(/^rtbassoc-0[0-9a-f]{16}$/);
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }));
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));

    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnetId] }] }));
    expect(RouteTables).toHaveLength(1);
    expect(RouteTables![0]!.Routes).toContainEqual({ DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId, Origin: "CreateRoute", State: "active" });
    expect(RouteTables![0]!.Associations).toEqual([
      { Main: false, RouteTableAssociationId: AssociationId, RouteTableId: rtbId, SubnetId: subnetId, AssociationState: { State: "associated" } },
    ]);
    const main = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "association.main", Values: ["true"] }] }));
    expect(main.RouteTables).toHaveLength(1);
    expect((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.MapPublicIpOnLaunch).toBe(true);
    expect((await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }))).EnableDnsHostnames).toEqual({ Value: true });

    // The records, as EC2 writes them: XML names, lists as {items}, the request id in responseElements.
    const created = await latestRecord(server.url, "CreateVpc", "us-east-1", account("222222222222"));
    expect(created.requestParameters).toEqual({
      cidrBlock: "10.0.0.0/16",
      tagSpecificationSet: { items: [{ resourceType: "vpc", tags: [{ key: "Name", value: "lab" }] }] },
    });
    const vpcRecord = (created.responseElements as { requestId: string; vpc: Record<string, unknown> }).vpc;
    expect((created.responseElements as { requestId: string }).requestId).toBe(created.requestID);
    expect(vpcRecord).toMatchObject({
      vpcId,
      state: "pending",
      cidrBlock: "10.0.0.0/16",
      cidrBlockAssociationSet: { items: [{ cidrBlock: "10.0.0.0/16", associationId: Vpc!.CidrBlockAssociationSet![0]!.AssociationId, cidrBlockState: { state: "associated" } }] },
      ipv6CidrBlockAssociationSet: {},
      instanceTenancy: "default",
      tagSet: { items: [{ key: "Name", value: "lab" }] },
      isDefault: false,
    });
    const subnetRecord = await latestRecord(server.url, "CreateSubnet", "us-east-1", account("222222222222"));
    expect(subnetRecord.requestParameters).toEqual({ vpcId, cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1b" });
    expect(subnetRecord.responseElements).toMatchObject({ requestId: subnetRecord.requestID, subnet: { subnetId, state: "available", availableIpAddressCount: 251 } });
    const attach = await latestRecord(server.url, "AttachInternetGateway", "us-east-1", account("222222222222"));
    expect(attach.requestParameters).toEqual({ internetGatewayId: igwId, vpcId });
    expect(attach.responseElements).toEqual({ requestId: attach.requestID, _return: true });
    const route = await latestRecord(server.url, "CreateRoute", "us-east-1", account("222222222222"));
    expect(route.responseElements).toEqual({ requestId: route.requestID, _return: true });
    const described = await latestRecord(server.url, "DescribeRouteTables", "us-east-1", account("222222222222"));
    expect(described).toMatchObject({ readOnly: true, responseElements: null });
    expect(described.requestParameters).toEqual({
      routeTableIdSet: {},
      filterSet: { items: [{ name: "vpc-id", valueSet: { items: [{ value: vpcId }] } }, { name: "association.main", valueSet: { items: [{ value: "true" }] } }] },
    });

    // LookupEvents finds every event that named the VPC.
    const aboutVpc = await lookupRecords(server.url, "ResourceName", vpcId, "us-east-1", account("222222222222"));
    expect(aboutVpc.map((r) => r.eventName)).toEqual(expect.arrayContaining(["CreateVpc", "CreateSubnet", "AttachInternetGateway", "CreateRouteTable", "ModifyVpcAttribute"]));

    // Teardown in dependency order; each step first refuses while something still depends on it.
    expect((await sdkError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })))).name).toBe("DependencyViolation");
    expect((await sdkError(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId })))).name).toBe("DependencyViolation");
    expect((await sdkError(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId })))).name).toBe("DependencyViolation");
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const notAttached = await sdkError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })));
    expect([notAttached.name, notAttached.message]).toEqual(["Gateway.NotAttached", `resource ${igwId} is not attached to network ${vpcId}`]);
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    const gone = await sdkError(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
    expect([gone.name, gone.message, gone.$metadata.httpStatusCode]).toEqual(["InvalidVpcID.NotFound", `The vpc ID '${vpcId}' does not exist`, 400]);
    const record = await latestRecord(server.url, "DescribeVpcs", "us-east-1", account("222222222222"));
    expect(record).toMatchObject({
      errorCode: "Client.InvalidVpcID.NotFound",
      errorMessage: `The vpc ID '${vpcId}' does not exist`,
      requestParameters: { vpcSet: { items: [{ vpcId }] }, filterSet: {} },
      responseElements: null,
    });
  });

  it("answers bad CIDR blocks and unknown or malformed ids with EC2's errors", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("333333333333")));
    const cases: [Promise<unknown>, string, string][] = [
      [ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/8" })), "InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid."],
      [ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0/16" })), "InvalidParameterValue", "Value (10.0.0/16) for parameter cidrBlock is invalid. This is not a valid CIDR block."],
      [ec2.send(new CreateVpcCommand({})), "MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."],
      [ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-123"] })), "InvalidVpcID.Malformed", 'Invalid id: "vpc-123"'],
      [ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0000000000000beef"] })), "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0000000000000beef' does not exist"],
      [ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "colour", Values: ["blue"] }] })), "InvalidParameterValue", "The filter 'colour' is invalid"],
    ];
    for (const [call, code, message] of cases) {
      const error = await sdkError(call);
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual([code, message, 400]);
    }
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }));
    await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.1.0.0/24" }));
    const outside = await sdkError(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.2.0.0/24" })));
    expect([outside.name, outside.message]).toEqual(["InvalidSubnet.Range", "The CIDR '10.2.0.0/24' is invalid."]);
    const overlapping = await sdkError(ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.1.0.128/25" })));
    expect([overlapping.name, overlapping.message]).toEqual(["InvalidSubnet.Conflict", "The CIDR '10.1.0.128/25' conflicts with another subnet"]);
  });

  it("keeps security group rules, refuses duplicates and records them with EC2's names", async () => {
    const creds = account("444444444444");
    const ec2 = new EC2Client(clientConfig(server.url, creds));
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const vpcId = Vpc!.VpcId!;
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web servers", VpcId: vpcId }));
    expect(GroupId).toMatch(/^sg-0[0-9a-f]{16}$/);
    const duplicate = await sdkError(ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "again", VpcId: vpcId })));
    expect([duplicate.name, duplicate.message]).toEqual(["InvalidGroup.Duplicate", `The security group 'web' already exists for VPC '${vpcId}'`]);

    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "203.0.113.0/24", Description: "office" }] },
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    expect(authorized.Return).toBe(true);
    expect(authorized.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.CidrIpv4])).toEqual([
      [false, "tcp", 22, "203.0.113.0/24"],
      [false, "tcp", 443, "0.0.0.0/0"],
    ]);
    const again = await sdkError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" })));
    expect([again.name, again.message]).toEqual(["InvalidPermission.Duplicate", 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW" already exists']);

    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.from-port", Values: ["22"] }] }));
    expect(SecurityGroups!.map((g) => g.GroupId)).toEqual([GroupId]);
    expect(SecurityGroups![0]!.IpPermissions![0]).toEqual({
      IpProtocol: "tcp",
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: "203.0.113.0/24", Description: "office" }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    });
    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [GroupId!] }] }));
    expect(rules.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      [true, "-1", -1, -1],
      [false, "tcp", 22, 22],
      [false, "tcp", 443, 443],
    ]);

    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
    const missing = await sdkError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" })));
    expect(missing.name).toBe("InvalidPermission.NotFound");
    const defaultGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "group-name", Values: ["default"] }] })))
      .SecurityGroups![0]!;
    const cannot = await sdkError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId })));
    expect([cannot.name, cannot.message]).toEqual(["CannotDelete", `the specified group: "${defaultGroup.GroupId}" name: "default" cannot be deleted by a user`]);

    const created = (await lookupRecords(server.url, "EventName", "CreateSecurityGroup", "us-east-1", creds)).find((r) => !r.errorCode)!;
    expect(created.requestParameters).toEqual({ groupName: "web", groupDescription: "web servers", vpcId });
    expect(created.responseElements).toEqual({
      requestId: created.requestID,
      _return: true,
      groupId: GroupId,
      securityGroupArn: `arn:aws:ec2:us-east-1:444444444444:security-group/${GroupId}`,
    });
    const authorize = (await lookupRecords(server.url, "EventName", "AuthorizeSecurityGroupIngress", "us-east-1", creds)).find((r) => !r.errorCode)!;
    expect(authorize.requestParameters).toEqual({
      ipPermissions: {
        items: [
          { groups: {}, ipRanges: { items: [{ cidrIp: "203.0.113.0/24", description: "office" }] }, ipv6Ranges: {}, prefixListIds: {}, ipProtocol: "tcp", fromPort: 22, toPort: 22 },
          { groups: {}, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] }, ipv6Ranges: {}, prefixListIds: {}, ipProtocol: "tcp", fromPort: 443, toPort: 443 },
        ],
      },
      groupId: GroupId,
    });
    expect(authorize.responseElements).toMatchObject({ requestId: authorize.requestID, _return: true, securityGroupRuleSet: { items: [{ groupId: GroupId, isEgress: false }, {}] } });
    const duplicateRecord = (await lookupRecords(server.url, "EventName", "AuthorizeSecurityGroupIngress", "us-east-1", creds)).find((r) => r.errorCode)!;
    expect(duplicateRecord).toMatchObject({ errorCode: "Client.InvalidPermission.Duplicate", responseElements: null });
    const rulesRecord = await latestRecord(server.url, "DescribeSecurityGroupRules", "us-east-1", creds);
    expect(rulesRecord.requestParameters).toEqual({ DescribeSecurityGroupRulesRequest: { Filter: { tag: 1, Name: "group-id", Value: { tag: 1, content: GroupId } } } });
    const aboutGroup = await lookupRecords(server.url, "ResourceName", GroupId!, "us-east-1", creds);
    expect(aboutGroup.map((r) => r.eventName)).toEqual(expect.arrayContaining(["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"]));
  });
});

describe("EC2 on the wire", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function post(body: string): Promise<{ status: number; text: string; requestId: string | null }> {
    const request = await signRequest({ url: server.url, service: "ec2", body, headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });
    const response = await fetch(`${server.url}/`, { method: "POST", headers: request.headers, body });
    return { status: response.status, text: await response.text(), requestId: response.headers.get("x-amzn-requestid") };
  }

  it("answers in EC2's XML: <OpResponse> with requestId first and no Result wrapper, errors in Response/Errors/Error with RequestID", async () => {
    const ok = await post("Action=DescribeAccountAttributes&Version=2016-11-15&AttributeName.1=supported-platforms");
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeAccountAttributesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${ok.requestId}</requestId>` +
        "<accountAttributeSet><item><attributeName>supported-platforms</attributeName><attributeValueSet><item><attributeValue>VPC</attributeValue></item></attributeValueSet></item></accountAttributeSet>" +
        "</DescribeAccountAttributesResponse>",
    );
    const missing = await post("Action=DeleteVpc&Version=2016-11-15");
    expect(missing.status).toBe(400);
    expect(missing.text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>MissingParameter</Code><Message>The request must contain the parameter VpcId</Message></Error></Errors><RequestID>${missing.requestId}</RequestID></Response>`,
    );
    const unknown = await post("Action=DescribeVpcs&Version=2016-11-15&VpcIds.1=vpc-0123456789abcdef0");
    expect([unknown.status, /<Code>(.*)<\/Code><Message>(.*)<\/Message>/.exec(unknown.text)!.slice(1)]).toEqual([400, ["UnknownParameter", "The parameter VpcIds is not recognized"]]);
    const deleted = await post("Action=DeleteKeyPair&Version=2016-11-15&KeyName=none");
    expect(deleted.text).toContain(`<requestId>${deleted.requestId}</requestId><return>true</return>`);
  });

  it("answers a bad signature or an unknown key with EC2's AuthFailure (401), unrecorded", async () => {
    for (const credentials of [
      { accessKeyId: "test", secretAccessKey: "wrong" },
      { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "test" },
    ]) {
      const error = await sdkError(new EC2Client(clientConfig(server.url, credentials)).send(new DescribeRegionsCommand({})));
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(["AuthFailure", "AWS was not able to validate the provided access credentials", 401]);
    }
    expect(await lookupRecords(server.url, "EventName", "DescribeRegions")).toEqual([]);
  });

  it("records a call that misses a required parameter with what the client did send", async () => {
    const ec2 = new EC2Client(clientConfig(server.url));
    // SDK v3 does not check required members: EC2 itself answers MissingParameter, named as on the wire.
    const error = await sdkError(ec2.send(new CreateSecurityGroupCommand({ GroupName: "web" } as never)));
    expect([error.name, error.message]).toEqual(["MissingParameter", "The request must contain the parameter GroupDescription"]);
    const record = await latestRecord(server.url, "CreateSecurityGroup");
    expect(record).toMatchObject({ errorCode: "Client.MissingParameter", requestParameters: { groupName: "web" }, responseElements: null });
  });

  it("keeps a region's resources across a restart with a data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "localtrail-ec2-"));
    try {
      const first = await startTestServer({ dataDir });
      const vpcId = (await new EC2Client(clientConfig(first.url)).send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
      await first.close();
      const second = await startTestServer({ dataDir });
      const { Vpcs } = await new EC2Client(clientConfig(second.url)).send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
      expect(Vpcs![0]!.CidrBlock).toBe("10.9.0.0/16");
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

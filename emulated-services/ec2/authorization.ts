import type { ServiceAuthorization } from "../../src/types/authorization.js";

/**
 * How EC2's calls are authorized (reference/iam-enforcement.md §3.2, EC2 API Reference): each operation on
 * the resources it names by id, a resource about to be created as `<type>/*`; RunInstances on its image,
 * instance, key pair, security groups and subnet, with iam:PassRole for an instance profile and
 * ec2:CreateTags for tags given at launch; CreateTags and DeleteTags on each resource id by its prefix.
 * Denials begin "You are not authorized to perform this operation." and, except on Describe calls, end with
 * an encoded message that STS DecodeAuthorizationMessage reads; DryRun is authorized like the call itself.
 */
type Input = Record<string, unknown>;

/** The ids of a list member (or a single id member) that begin with a prefix (`i-`, `vpc-`). */
const idsOf = (members: string[], prefix?: string) => (input: Input) => {
  const ids = members.flatMap((m) => ([] as unknown[]).concat(input[m] ?? [])).filter((v): v is string => typeof v === "string" && (!prefix || v.startsWith(prefix)));
  return ids.length > 0 ? ids : undefined;
};
const byPrefix = (prefix: string) => idsOf(["Resources"], prefix);
const tagged = { action: "ec2:CreateTags", when: "TagSpecifications", conditionKeys: {} };

export const ec2Authorization: ServiceAuthorization = {
  prefix: "ec2",
  variables: {
    InstanceId: idsOf(["InstanceIds", "InstanceId"]),
    VpcId: "VpcId",
    SubnetId: "SubnetId",
    RouteTableId: "RouteTableId",
    InternetGatewayId: "InternetGatewayId",
    SecurityGroupId: idsOf(["GroupId", "SecurityGroupIds", "Groups"]),
    KeyPairName: "KeyName",
    ImageId: "ImageId",
  },
  operations: {
    RunInstances: [{ action: "ec2:RunInstances", resourceTypes: ["image", "instance", "key-pair", "security-group", "subnet", "network-interface", "volume"] }, { ...tagged, conditionKeys: { "ec2:CreateAction": "RunInstances" } }, { action: "iam:PassRole", when: "IamInstanceProfile", conditionKeys: { "iam:PassedToService": "ec2.amazonaws.com" } }],
    CreateVpc: [{ action: "ec2:CreateVpc" }, { ...tagged, conditionKeys: { "ec2:CreateAction": "CreateVpc" } }],
    CreateSubnet: [{ action: "ec2:CreateSubnet" }, { ...tagged, conditionKeys: { "ec2:CreateAction": "CreateSubnet" } }],
    CreateSecurityGroup: [{ action: "ec2:CreateSecurityGroup" }, { ...tagged, conditionKeys: { "ec2:CreateAction": "CreateSecurityGroup" } }],
    CreateKeyPair: [{ action: "ec2:CreateKeyPair" }, { ...tagged, conditionKeys: { "ec2:CreateAction": "CreateKeyPair" } }],
    CreateTags: [{ action: "ec2:CreateTags", variables: { InstanceId: byPrefix("i-"), VpcId: byPrefix("vpc-"), SubnetId: byPrefix("subnet-"), SecurityGroupId: byPrefix("sg-"), RouteTableId: byPrefix("rtb-"), InternetGatewayId: byPrefix("igw-"), ImageId: byPrefix("ami-") } }],
    DeleteTags: [{ action: "ec2:DeleteTags", variables: { InstanceId: byPrefix("i-"), VpcId: byPrefix("vpc-"), SubnetId: byPrefix("subnet-"), SecurityGroupId: byPrefix("sg-"), RouteTableId: byPrefix("rtb-"), InternetGatewayId: byPrefix("igw-"), ImageId: byPrefix("ami-") } }],
  },
  conditionKeys: { "ec2:InstanceType": "InstanceType" },
  requestTags: ["TagSpecifications", "Tags"],
  // Resource ids are EC2's, new with every create: a generated policy names the type's resources.
  generalize: [[/^(arn:aws:ec2:[^:]*:\d*:[a-z-]+\/)(i|vpc|subnet|sg|rtb|igw|eni|vol)-[0-9a-f]+$/, "$1*"]],
  denial: {
    code: "UnauthorizedOperation",
    status: 403,
    noResource: "omit",
    preamble: "You are not authorized to perform this operation. ",
    encodedMessage: { exceptOperations: /^Describe/ },
  },
};

/**
 * EC2's state, one document per account and region: each region is separate in EC2, as on AWS. Dates are
 * ISO strings (the document is JSON); tags live in one table keyed by resource id, as CreateTags sees them.
 */

export interface StoredTag {
  Key: string;
  Value: string;
}

export interface StoredVpc {
  vpcId: string;
  cidrBlock: string;
  cidrAssociationId: string;
  instanceTenancy: string;
  isDefault: boolean;
  dhcpOptionsId: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  enableNetworkAddressUsageMetrics: boolean;
  mainRouteTableId: string;
  defaultSecurityGroupId: string;
  defaultNetworkAclId: string;
}

export interface StoredSubnet {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** Private addresses handed to instances, released when they terminate. */
  usedAddresses: string[];
}

export interface StoredInternetGateway {
  internetGatewayId: string;
  attachedVpcId?: string;
}

export interface StoredRoute {
  destinationCidrBlock: string;
  /** `local` for the VPC's own range, else an igw- id. */
  gatewayId?: string;
  instanceId?: string;
  natGatewayId?: string;
  networkInterfaceId?: string;
  vpcPeeringConnectionId?: string;
  origin: "CreateRouteTable" | "CreateRoute";
}

export interface StoredRouteAssociation {
  associationId: string;
  main: boolean;
  subnetId?: string;
  gatewayId?: string;
}

export interface StoredRouteTable {
  routeTableId: string;
  vpcId: string;
  routes: StoredRoute[];
  associations: StoredRouteAssociation[];
}

/** One rule per peer, as DescribeSecurityGroupRules lists them; IpPermissions regroup them. */
export interface StoredRule {
  ruleId: string;
  isEgress: boolean;
  /** "-1", "tcp", "udp", "icmp", "icmpv6" or a protocol number. */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  referencedUserId?: string;
  description?: string;
}

export interface StoredSecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  rules: StoredRule[];
}

export interface StoredKeyPair {
  keyPairId: string;
  keyName: string;
  keyType: "rsa" | "ed25519";
  keyFingerprint: string;
  /** OpenSSH public key line (`ssh-rsa AAAA...`). */
  publicKey: string;
  createTime: string;
}

export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export interface StoredInstance {
  instanceId: string;
  reservationId: string;
  imageId: string;
  /** What the instance took from its image. */
  architecture: string;
  rootDeviceName: string;
  platform?: "windows";
  currentBootMode: "uefi" | "legacy-bios";
  /** Images that ask for IMDSv2 (Amazon Linux 2023) launch with HttpTokens required and a hop limit of 2. */
  imdsV2: boolean;
  instanceType: string;
  state: InstanceStateName;
  /** The request that last changed the state: the change settles on the next call, not within its own. */
  stateChangedBy: string;
  stateChangedAt: string;
  stateTransitionReason: string;
  stateReason?: { code: string; message: string };
  launchTime: string;
  amiLaunchIndex: number;
  keyName?: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIpAddress: string;
  /** Whether the instance gets a public address while running (the subnet's MapPublicIpOnLaunch, or asked for). */
  associatePublicIp: boolean;
  publicIpAddress?: string;
  securityGroupIds: string[];
  networkInterfaceId: string;
  attachmentId: string;
  macAddress: string;
  rootVolumeId: string;
  clientToken?: string;
  userData?: string;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  instanceInitiatedShutdownBehavior: string;
  sourceDestCheck: boolean;
  ebsOptimized: boolean;
  monitoring: boolean;
  tenancy: string;
}

export interface Ec2State {
  /** The default VPC is made when a region is first used, as AWS gives every account one per region. */
  defaultVpcId?: string;
  defaultNetworkCreated: boolean;
  dhcpOptionsId: string;
  vpcs: Record<string, StoredVpc>;
  subnets: Record<string, StoredSubnet>;
  internetGateways: Record<string, StoredInternetGateway>;
  routeTables: Record<string, StoredRouteTable>;
  securityGroups: Record<string, StoredSecurityGroup>;
  /** By key pair id; names are unique per region too. */
  keyPairs: Record<string, StoredKeyPair>;
  instances: Record<string, StoredInstance>;
  /** Tags by resource id, in the order they were added. */
  tags: Record<string, StoredTag[]>;
}

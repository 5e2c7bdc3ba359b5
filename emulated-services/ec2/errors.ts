import { AwsError } from "../../src/types/aws-error.js";

/**
 * EC2's errors. The model has no error shapes: the code is the wire code, every client error is 400
 * (DryRunOperation 412), and CloudTrail writes `Client.<code>`. Messages as AWS words them (EC2 API
 * reference "Error codes", and the messages real clients show in public issue reports).
 */
export const ec2Error = (code: string, message: string, status = 400) => new AwsError(code, message, { status });

export const dryRunOperation = () => ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);

export const invalidParameterValue = (message: string) => ec2Error("InvalidParameterValue", message);
export const invalidParameterCombination = (message: string) => ec2Error("InvalidParameterCombination", message);
export const missingParameter = (message: string) => ec2Error("MissingParameter", message);
export const invalidParameter = (message: string) => ec2Error("InvalidParameter", message);
export const dependencyViolation = (message: string) => ec2Error("DependencyViolation", message);

/** `Invalid id: "ma1"` is what EC2 answers for an id that is not of the form prefix-hex. */
export const malformedId = (code: string, id: string, prefix?: string) =>
  ec2Error(code, prefix ? `Invalid id: "${id}" (expecting "${prefix}-...")` : `Invalid id: "${id}"`);

/** One missing id: "The vpc ID 'vpc-1' does not exist"; several: "The vpc IDs 'vpc-1, vpc-2' do not exist". */
export function notFound(code: string, noun: string, ids: string[]): AwsError {
  if (ids.length === 1) return ec2Error(code, `The ${noun} ID '${ids[0]}' does not exist`);
  return ec2Error(code, `The ${noun} IDs '${ids.join(", ")}' do not exist`);
}

export const vpcNotFound = (ids: string[]) => notFound("InvalidVpcID.NotFound", "vpc", ids);
export const subnetNotFound = (ids: string[]) => notFound("InvalidSubnetID.NotFound", "subnet", ids);
export const instanceNotFound = (ids: string[]) => notFound("InvalidInstanceID.NotFound", "instance", ids);
export const internetGatewayNotFound = (ids: string[]) => notFound("InvalidInternetGatewayID.NotFound", "internetGateway", ids);
export const routeTableNotFound = (ids: string[]) => notFound("InvalidRouteTableID.NotFound", "routeTable", ids);
export const associationNotFound = (id: string) => ec2Error("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`);

export const groupNotFound = (group: string) => ec2Error("InvalidGroup.NotFound", `The security group '${group}' does not exist`);
export const groupNotFoundInVpc = (group: string, vpcId: string, isDefault: boolean) =>
  ec2Error("InvalidGroup.NotFound", `The security group '${group}' does not exist in ${isDefault ? "default " : ""}VPC '${vpcId}'`);
export const groupDuplicate = (name: string, vpcId: string) => ec2Error("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpcId}'`);
export const securityGroupRuleNotFound = (id: string) =>
  ec2Error("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);

export const keyPairNotFound = (name: string) => ec2Error("InvalidKeyPair.NotFound", `The key pair '${name}' does not exist`);
export const keyPairDuplicate = (name: string) => ec2Error("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`);
export const keyPairFormat = () => ec2Error("InvalidKeyPair.Format", "Key is not in valid OpenSSH public key format");

export function imageNotFound(ids: string[]): AwsError {
  if (ids.length === 1) return ec2Error("InvalidAMIID.NotFound", `The image id '[${ids[0]}]' does not exist`);
  return ec2Error("InvalidAMIID.NotFound", `The image ids '[${ids.join(", ")}]' do not exist`);
}

export const incorrectInstanceState = (id: string, verb: "started" | "stopped" | "rebooted") =>
  ec2Error("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${verb}.`);

/** No default VPC in the region and no VPC named (RunInstances, CreateSecurityGroup). */
export const noDefaultVpc = () => ec2Error("VPCIdNotSpecified", "No default VPC for this user");

export const invalidFilter = (name: string) => invalidParameterValue(`The filter '${name}' is invalid`);
export const invalidPaginationToken = () => ec2Error("InvalidPaginationToken", "The specified pagination token is not valid or is expired.");

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IAMClient,
  CreateUserCommand,
  GetUserCommand,
  ListGroupsForUserCommand,
  ListAccessKeysCommand,
  ListSSHPublicKeysCommand,
  ListVirtualMFADevicesCommand,
  ListMFADevicesCommand,
  DeleteLoginProfileCommand,
  ListSigningCertificatesCommand,
  ListServiceSpecificCredentialsCommand,
  ListUserPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  DeleteUserCommand,
  CreateRoleCommand,
  GetRoleCommand,
  ListRolePoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  DeleteRoleCommand,
  CreatePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  DeletePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  S3Client,
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  GetBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketWebsiteCommand,
  GetBucketVersioningCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketLoggingCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketEncryptionCommand,
  GetObjectLockConfigurationCommand,
  GetBucketTaggingCommand,
  DeleteBucketCommand,
} from "@aws-sdk/client-s3";
import {
  EC2Client,
  CreateVpcCommand,
  DescribeVpcsCommand,
  ModifyVpcAttributeCommand,
  DescribeVpcAttributeCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeNetworkAclsCommand,
  DeleteVpcCommand,
  CreateSubnetCommand,
  DescribeSubnetsCommand,
  ModifySubnetAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DeleteSubnetCommand,
  CreateSecurityGroupCommand,
  RevokeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  AuthorizeSecurityGroupEgressCommand,
  DeleteSecurityGroupCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  DescribeInstancesCommand,
  DescribeInstanceAttributeCommand,
  DescribeVolumesCommand,
  DescribeInstanceTypesCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeAddressesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  KMSClient,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  EnableKeyRotationCommand,
  DisableKeyRotationCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import {
  LambdaClient,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionCodeSigningConfigCommand,
  PutFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  DeleteFunctionConcurrencyCommand,
  ListVersionsByFunctionCommand,
  DeleteFunctionCommand,
} from "@aws-sdk/client-lambda";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  DeleteLogGroupCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  ListTagsCommand,
  DeleteTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus } from "../helpers/clients.js";
import { allRecords } from "../helpers/data-events.js";
import { cloudTrailBucketPolicy } from "../helpers/trails.js";
import { zipOf } from "../fixtures/lambda/functions.js";

/**
 * The calls terraform-provider-aws (internal/service/<svc>/<resource>.go) makes to create, refresh and
 * destroy its common resources, replayed in its order with SDK v3 clients (iam/user.go's force_destroy and
 * s3/bucket.go's resourceBucketRead were checked against the provider's source): every call answers as AWS does
 * (the "not configured" errors the provider tolerates included) and every call is recorded.
 */
describe("Terraform's AWS provider", () => {
  let server: TestServer;
  const requestIds: { eventSource: string; requestId: string }[] = [];
  let iam: IAMClient;
  let s3: S3Client;
  let ec2: EC2Client;
  let kms: KMSClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let cloudtrail: CloudTrailClient;

  /** Sends a call and remembers its request id, to check that it was recorded. */
  async function call<T extends { $metadata: { requestId?: string } }>(sending: Promise<T>, eventSource: string): Promise<T> {
    const out = await sending;
    requestIds.push({ eventSource, requestId: out.$metadata.requestId! });
    return out;
  }
  /** A call the provider expects to fail with a "not configured" error: its code and status, and it is recorded too. */
  async function fails(client: { send(c: never): Promise<unknown> }, command: object) {
    return codeAndStatus(client.send(command as never));
  }

  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    s3 = new S3Client(clientConfig(server.url));
    ec2 = new EC2Client(clientConfig(server.url));
    kms = new KMSClient(clientConfig(server.url));
    lambda = new LambdaClient(clientConfig(server.url));
    logs = new CloudWatchLogsClient(clientConfig(server.url));
    cloudtrail = new CloudTrailClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  const IAM = "iam.amazonaws.com";
  const EC2 = "ec2.amazonaws.com";

  describe("aws_iam_user", () => {
    it("create, refresh, destroy (force_destroy lists every kind of credential first)", async () => {
      const UserName = "tf-user";
      await call(iam.send(new CreateUserCommand({ UserName, Tags: [{ Key: "team", Value: "infra" }] })), IAM);
      const read = await call(iam.send(new GetUserCommand({ UserName })), IAM);
      expect(read.User?.Tags).toEqual([{ Key: "team", Value: "infra" }]);
      expect((await call(iam.send(new ListGroupsForUserCommand({ UserName })), IAM)).Groups).toEqual([]);
      expect((await call(iam.send(new ListAccessKeysCommand({ UserName })), IAM)).AccessKeyMetadata).toEqual([]);
      expect((await call(iam.send(new ListSSHPublicKeysCommand({ UserName })), IAM)).SSHPublicKeys).toEqual([]);
      expect((await call(iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned" })), IAM)).VirtualMFADevices).toEqual([]);
      expect((await call(iam.send(new ListMFADevicesCommand({ UserName })), IAM)).MFADevices).toEqual([]);
      expect(await fails(iam, new DeleteLoginProfileCommand({ UserName }))).toEqual({ name: "NoSuchEntityException", status: 404 });
      expect((await call(iam.send(new ListSigningCertificatesCommand({ UserName })), IAM)).Certificates).toEqual([]);
      expect((await call(iam.send(new ListServiceSpecificCredentialsCommand({ UserName })), IAM)).ServiceSpecificCredentials).toEqual([]);
      expect((await call(iam.send(new ListUserPoliciesCommand({ UserName })), IAM)).PolicyNames).toEqual([]);
      expect((await call(iam.send(new ListAttachedUserPoliciesCommand({ UserName })), IAM)).AttachedPolicies).toEqual([]);
      await call(iam.send(new DeleteUserCommand({ UserName })), IAM);
      // The refresh after destroy: gone, and each credential list says so too.
      expect(await fails(iam, new GetUserCommand({ UserName }))).toEqual({ name: "NoSuchEntityException", status: 404 });
      expect(await fails(iam, new ListMFADevicesCommand({ UserName }))).toEqual({ name: "NoSuchEntityException", status: 404 });
    });
  });

  describe("aws_iam_role and aws_iam_policy", () => {
    it("create, refresh, destroy", async () => {
      const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
      await call(iam.send(new CreateRoleCommand({ RoleName: "tf-role", AssumeRolePolicyDocument: trust })), IAM);
      expect((await call(iam.send(new GetRoleCommand({ RoleName: "tf-role" })), IAM)).Role?.RoleName).toBe("tf-role");
      await call(iam.send(new ListRolePoliciesCommand({ RoleName: "tf-role" })), IAM);
      await call(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "tf-role" })), IAM);
      await call(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "tf-role" })), IAM);

      const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
      const created = await call(iam.send(new CreatePolicyCommand({ PolicyName: "tf-policy", PolicyDocument: document })), IAM);
      const PolicyArn = created.Policy!.Arn!;
      const policy = await call(iam.send(new GetPolicyCommand({ PolicyArn })), IAM);
      const version = await call(iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy!.DefaultVersionId! })), IAM);
      expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(JSON.parse(document));
      await call(iam.send(new ListPolicyVersionsCommand({ PolicyArn })), IAM);
      await call(iam.send(new DeletePolicyCommand({ PolicyArn })), IAM);
      await call(iam.send(new DeleteRoleCommand({ RoleName: "tf-role" })), IAM);
    });
  });

  describe("aws_s3_bucket", () => {
    it("create, then the refresh reads every sub-resource and tolerates S3's not-configured errors, destroy", async () => {
      const S3 = "s3.amazonaws.com";
      const Bucket = "tf-bucket";
      await call(s3.send(new CreateBucketCommand({ Bucket })), S3);
      await call(s3.send(new HeadBucketCommand({ Bucket })), S3);
      await call(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: "env", Value: "dev" }] } })), S3);
      // resourceBucketRead, in its order.
      expect(await fails(s3, new GetBucketPolicyCommand({ Bucket }))).toEqual({ name: "NoSuchBucketPolicy", status: 404 });
      expect((await call(s3.send(new GetBucketAclCommand({ Bucket })), S3)).Grants?.[0]?.Permission).toBe("FULL_CONTROL");
      expect(await fails(s3, new GetBucketCorsCommand({ Bucket }))).toEqual({ name: "NoSuchCORSConfiguration", status: 404 });
      expect(await fails(s3, new GetBucketWebsiteCommand({ Bucket }))).toEqual({ name: "NoSuchWebsiteConfiguration", status: 404 });
      expect((await call(s3.send(new GetBucketVersioningCommand({ Bucket })), S3)).Status).toBeUndefined();
      expect((await call(s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket })), S3)).Status).toBeUndefined();
      expect((await call(s3.send(new GetBucketRequestPaymentCommand({ Bucket })), S3)).Payer).toBe("BucketOwner");
      expect((await call(s3.send(new GetBucketLoggingCommand({ Bucket })), S3)).LoggingEnabled).toBeUndefined();
      expect(await fails(s3, new GetBucketLifecycleConfigurationCommand({ Bucket }))).toEqual({ name: "NoSuchLifecycleConfiguration", status: 404 });
      expect(await fails(s3, new GetBucketReplicationCommand({ Bucket }))).toEqual({ name: "ReplicationConfigurationNotFoundError", status: 404 });
      expect((await call(s3.send(new GetBucketEncryptionCommand({ Bucket })), S3)).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
      expect(await fails(s3, new GetObjectLockConfigurationCommand({ Bucket }))).toEqual({ name: "ObjectLockConfigurationNotFoundError", status: 404 });
      // The region: s3manager's GetBucketRegion is a HeadBucket read for its x-amz-bucket-region header.
      expect((await call(s3.send(new HeadBucketCommand({ Bucket })), S3)).BucketRegion).toBe("us-east-1");
      expect((await call(s3.send(new GetBucketTaggingCommand({ Bucket })), S3)).TagSet).toEqual([{ Key: "env", Value: "dev" }]);
      await call(s3.send(new DeleteBucketCommand({ Bucket })), S3);
      expect(await fails(s3, new HeadBucketCommand({ Bucket }))).toEqual({ name: "NotFound", status: 404 });
      // The tolerated errors are recorded as failed management events.
      const failed = allRecords(server.localtrail).filter((r) => r.requestParameters?.bucketName === Bucket && r.errorCode);
      expect(failed.map((r) => r.eventName)).toEqual(
        expect.arrayContaining(["GetBucketPolicy", "GetBucketCors", "GetBucketWebsite", "GetBucketLifecycle", "GetBucketReplication", "GetObjectLockConfiguration"]),
      );
    });
  });

  describe("aws_vpc, aws_subnet, aws_security_group, aws_instance", () => {
    it("create, refresh, destroy", async () => {
      const vpc = (await call(ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" })), EC2)).Vpc!;
      const VpcId = vpc.VpcId!;
      await call(ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] })), EC2);
      await call(ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsHostnames: { Value: true } })), EC2);
      for (const Attribute of ["enableDnsSupport", "enableDnsHostnames", "enableNetworkAddressUsageMetrics"] as const) {
        await call(ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute })), EC2);
      }
      const main = await call(ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.main", Values: ["true"] }, { Name: "vpc-id", Values: [VpcId] }] })), EC2);
      expect(main.RouteTables).toHaveLength(1);
      const defaultGroup = await call(ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["default"] }, { Name: "vpc-id", Values: [VpcId] }] })), EC2);
      expect(defaultGroup.SecurityGroups).toHaveLength(1);
      const acl = await call(ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "default", Values: ["true"] }, { Name: "vpc-id", Values: [VpcId] }] })), EC2);
      expect(acl.NetworkAcls?.[0]).toMatchObject({ IsDefault: true, VpcId, Entries: expect.arrayContaining([expect.objectContaining({ RuleNumber: 100, RuleAction: "allow" })]) });

      const subnet = (await call(ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: "10.20.1.0/24" })), EC2)).Subnet!;
      const SubnetId = subnet.SubnetId!;
      await call(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [SubnetId] })), EC2);
      await call(ec2.send(new ModifySubnetAttributeCommand({ SubnetId, MapPublicIpOnLaunch: { Value: true } })), EC2);
      expect((await call(ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [SubnetId] }] })), EC2)).NetworkAcls).toHaveLength(1);

      const GroupId = (await call(ec2.send(new CreateSecurityGroupCommand({ GroupName: "tf-sg", Description: "tf", VpcId })), EC2)).GroupId!;
      await call(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] })), EC2);
      const allOut = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];
      await call(ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: allOut })), EC2);
      await call(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] })), EC2);
      await call(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: allOut })), EC2);

      const image = (await call(ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] })), EC2)).Images![0]!;
      const run = await call(ec2.send(new RunInstancesCommand({ ImageId: image.ImageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId, SecurityGroupIds: [GroupId] })), EC2);
      const InstanceId = run.Instances![0]!.InstanceId!;
      const instance = (await call(ec2.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })), EC2)).Reservations![0]!.Instances![0]!;
      const volumeId = instance.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
      for (const Attribute of ["disableApiTermination", "disableApiStop", "instanceInitiatedShutdownBehavior", "userData"] as const) {
        await call(ec2.send(new DescribeInstanceAttributeCommand({ InstanceId, Attribute })), EC2);
      }
      const types = await call(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.micro"] })), EC2);
      expect(types.InstanceTypes?.[0]).toMatchObject({ InstanceType: "t3.micro", VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 1024 }, BurstablePerformanceSupported: true });
      const credits = await call(ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [InstanceId] })), EC2);
      expect(credits.InstanceCreditSpecifications).toEqual([{ InstanceId, CpuCredits: "unlimited" }]);
      const volumes = await call(ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [InstanceId] }] })), EC2);
      expect(volumes.Volumes).toEqual([expect.objectContaining({ VolumeId: volumeId, State: "in-use", Size: 8, VolumeType: "gp3", Attachments: [expect.objectContaining({ InstanceId, State: "attached" })] })]);
      const enis = await call(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [SubnetId] }] })), EC2);
      expect(enis.NetworkInterfaces?.map((n) => n.Attachment?.InstanceId)).toEqual([InstanceId]);
      expect((await call(ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "instance-id", Values: [InstanceId] }] })), EC2)).Addresses).toEqual([]);

      await call(ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] })), EC2);
      await call(ec2.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })), EC2);
      // The provider looks for Lambda's leftover interfaces before deleting a group or a subnet.
      expect((await call(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "group-id", Values: [GroupId] }, { Name: "description", Values: ["AWS Lambda VPC ENI*"] }] })), EC2)).NetworkInterfaces).toEqual([]);
      await call(ec2.send(new DeleteSecurityGroupCommand({ GroupId })), EC2);
      await call(ec2.send(new DeleteSubnetCommand({ SubnetId })), EC2);
      await call(ec2.send(new DeleteVpcCommand({ VpcId })), EC2);
      expect(await fails(ec2, new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).toEqual({ name: "InvalidVolume.NotFound", status: 400 });
    });
  });

  describe("aws_kms_key", () => {
    it("create, refresh with rotation status, rotation on and off, destroy", async () => {
      const KMS = "kms.amazonaws.com";
      const KeyId = (await call(kms.send(new CreateKeyCommand({ Description: "tf key" })), KMS)).KeyMetadata!.KeyId!;
      await call(kms.send(new DescribeKeyCommand({ KeyId })), KMS);
      await call(kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" })), KMS);
      expect((await call(kms.send(new GetKeyRotationStatusCommand({ KeyId })), KMS)).KeyRotationEnabled).toBe(false);
      await call(kms.send(new EnableKeyRotationCommand({ KeyId })), KMS);
      const on = await call(kms.send(new GetKeyRotationStatusCommand({ KeyId })), KMS);
      expect(on).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
      expect(on.NextRotationDate).toBeInstanceOf(Date);
      await call(kms.send(new ListResourceTagsCommand({ KeyId })), KMS);
      await call(kms.send(new DisableKeyRotationCommand({ KeyId })), KMS);
      expect(await fails(kms, new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 30 }))).toEqual({ name: "ValidationException", status: 400 });
      await call(kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 })), KMS);
      expect((await call(kms.send(new DescribeKeyCommand({ KeyId })), KMS)).KeyMetadata?.KeyState).toBe("PendingDeletion");
      expect(await fails(kms, new GetKeyRotationStatusCommand({ KeyId }))).toEqual({ name: "KMSInvalidStateException", status: 400 });
    });
  });

  describe("aws_lambda_function", () => {
    it("create, refresh (code signing, concurrency, versions), destroy", async () => {
      const LAMBDA = "lambda.amazonaws.com";
      const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
      const Role = (await iam.send(new CreateRoleCommand({ RoleName: "tf-fn-role", AssumeRolePolicyDocument: trust }))).Role!.Arn!;
      const ZipFile = zipOf({ "index.py": "def handler(event, context):\n    return 1\n" });
      const FunctionName = "tf-fn";
      await call(lambda.send(new CreateFunctionCommand({ FunctionName, Role, Runtime: "python3.12", Handler: "index.handler", Code: { ZipFile } })), LAMBDA);
      await call(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 5 })), LAMBDA);
      const fn = await call(lambda.send(new GetFunctionCommand({ FunctionName })), LAMBDA);
      expect(fn.Concurrency?.ReservedConcurrentExecutions).toBe(5);
      expect(await call(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName })), LAMBDA)).toMatchObject({ FunctionName, CodeSigningConfigArn: "" });
      expect((await call(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName })), LAMBDA)).ReservedConcurrentExecutions).toBe(5);
      await call(lambda.send(new ListVersionsByFunctionCommand({ FunctionName })), LAMBDA);
      expect(await fails(lambda, new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 950 }))).toEqual({ name: "InvalidParameterValueException", status: 400 });
      await call(lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName })), LAMBDA);
      expect((await call(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName })), LAMBDA)).ReservedConcurrentExecutions).toBeUndefined();
      await call(lambda.send(new DeleteFunctionCommand({ FunctionName })), LAMBDA);
      expect(await fails(lambda, new GetFunctionCodeSigningConfigCommand({ FunctionName }))).toEqual({ name: "ResourceNotFoundException", status: 404 });
    });
  });

  describe("aws_cloudwatch_log_group", () => {
    it("create, refresh, destroy", async () => {
      const LOGS = "logs.amazonaws.com";
      const logGroupName = "/tf/app";
      await call(logs.send(new CreateLogGroupCommand({ logGroupName, tags: { app: "tf" } })), LOGS);
      await call(logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: 14 })), LOGS);
      const group = (await call(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName })), LOGS)).logGroups![0]!;
      expect(group).toMatchObject({ logGroupName, retentionInDays: 14 });
      const arn = group.arn!.replace(/:\*$/, "");
      expect((await call(logs.send(new ListTagsForResourceCommand({ resourceArn: arn })), LOGS)).tags).toEqual({ app: "tf" });
      await call(logs.send(new DeleteLogGroupCommand({ logGroupName })), LOGS);
    });
  });

  describe("aws_cloudtrail", () => {
    it("create, refresh (status, event selectors, no Insights), destroy", async () => {
      const CT = "cloudtrail.amazonaws.com";
      await s3.send(new CreateBucketCommand({ Bucket: "tf-trail-logs" }));
      await s3.send(new PutBucketPolicyCommand({ Bucket: "tf-trail-logs", Policy: cloudTrailBucketPolicy("tf-trail-logs") }));
      const trail = await call(cloudtrail.send(new CreateTrailCommand({ Name: "tf-trail", S3BucketName: "tf-trail-logs" })), CT);
      await call(cloudtrail.send(new StartLoggingCommand({ Name: trail.TrailARN })), CT);
      expect((await call(cloudtrail.send(new DescribeTrailsCommand({ trailNameList: [trail.TrailARN!] })), CT)).trailList?.[0]?.Name).toBe("tf-trail");
      expect((await call(cloudtrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN })), CT)).IsLogging).toBe(true);
      await call(cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN })), CT);
      expect(await fails(cloudtrail, new GetInsightSelectorsCommand({ TrailName: trail.TrailARN }))).toEqual({ name: "InsightNotEnabledException", status: 400 });
      await call(cloudtrail.send(new ListTagsCommand({ ResourceIdList: [trail.TrailARN!] })), CT);
      await call(cloudtrail.send(new DeleteTrailCommand({ Name: trail.TrailARN })), CT);
    });
  });

  it("every call of every sequence is recorded, under its event source", () => {
    const byRequestId = new Map(allRecords(server.localtrail).map((r) => [r.requestID, r]));
    const missing = requestIds.filter(({ requestId }) => !byRequestId.has(requestId));
    expect(missing).toEqual([]);
    for (const { requestId, eventSource } of requestIds) expect(byRequestId.get(requestId)?.eventSource).toBe(eventSource);
    expect(requestIds.length).toBeGreaterThan(100);
  });
});

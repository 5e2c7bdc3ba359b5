import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { AWS_CLI_V2, aws, awsJson, boto3 } from "../helpers/cli.js";
import { lookupRecords } from "../helpers/records.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

interface Instance {
  InstanceId: string;
  State: { Code: number; Name: string };
  PrivateIpAddress: string;
  Tags?: { Key: string; Value: string }[];
}

/** The newest successful record of an event, as the account's owner finds it in LookupEvents. */
async function recordOf(url: string, eventName: string, region = "us-east-1"): Promise<CloudTrailRecord> {
  const record = (await lookupRecords(url, "EventName", eventName, region)).find((r) => !r.errorCode);
  if (!record) throw new Error(`no successful ${eventName} record`);
  return record;
}

// A realistic infrastructure script, told with the unmodified AWS CLI, then with boto3: every step
// answers as EC2 does and leaves the record CloudTrail would write.
describe("an infrastructure script with the AWS CLI and boto3 against the emulated EC2", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("builds a network, launches two tagged instances, stops, starts and terminates them with the AWS CLI", async () => {
    const url = server.url;
    const ec2 = (...args: string[]) => awsJson<Record<string, unknown>>(url, ["ec2", ...args]);
    const vpcId = ((await ec2("create-vpc", "--cidr-block", "10.10.0.0/16", "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=shop}]")).Vpc as { VpcId: string }).VpcId;
    const subnetId = ((await ec2("create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.10.1.0/24", "--availability-zone", "us-east-1a")).Subnet as { SubnetId: string })
      .SubnetId;
    const igwId = ((await ec2("create-internet-gateway")).InternetGateway as { InternetGatewayId: string }).InternetGatewayId;
    await ec2("attach-internet-gateway", "--internet-gateway-id", igwId, "--vpc-id", vpcId);
    const rtbId = ((await ec2("create-route-table", "--vpc-id", vpcId)).RouteTable as { RouteTableId: string }).RouteTableId;
    expect(await ec2("create-route", "--route-table-id", rtbId, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igwId)).toEqual({ Return: true });
    await ec2("associate-route-table", "--route-table-id", rtbId, "--subnet-id", subnetId);
    const groupId = (await ec2("create-security-group", "--group-name", "shop-web", "--description", "shop web tier", "--vpc-id", vpcId)).GroupId as string;
    await ec2("authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.0/24");
    const key = await ec2("create-key-pair", "--key-name", "shop-ops");
    expect(key.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const image = (await ec2("describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-*-x86_64")).Images as { ImageId: string }[];

    const run = await ec2(
      "run-instances",
      "--image-id",
      image[0]!.ImageId,
      "--count",
      "2",
      "--instance-type",
      "t3.micro",
      "--subnet-id",
      subnetId,
      "--security-group-ids",
      groupId,
      "--key-name",
      "shop-ops",
      "--user-data",
      "#!/bin/sh\necho shop",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=shop-web},{Key=tier,Value=web}]",
    );
    const instances = run.Instances as Instance[];
    const ids = instances.map((i) => i.InstanceId);
    expect(instances.map((i) => [i.State.Name, i.PrivateIpAddress])).toEqual([
      ["pending", "10.10.1.4"],
      ["pending", "10.10.1.5"],
    ]);

    const described = await ec2("describe-instances", "--filters", "Name=tag:tier,Values=web", "Name=instance-state-name,Values=running");
    const running = (described.Reservations as { Instances: Instance[] }[]).flatMap((r) => r.Instances);
    expect(running.map((i) => i.InstanceId)).toEqual(ids);

    const stopped = await ec2("stop-instances", "--instance-ids", ...ids);
    expect((stopped.StoppingInstances as { CurrentState: { Name: string } }[]).map((s) => s.CurrentState.Name)).toEqual(["stopping", "stopping"]);
    const started = await ec2("start-instances", "--instance-ids", ids[0]!);
    expect(started.StartingInstances).toEqual([{ InstanceId: ids[0], CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } }]);
    const terminated = await ec2("terminate-instances", "--instance-ids", ...ids);
    expect((terminated.TerminatingInstances as { PreviousState: { Name: string } }[]).map((s) => s.PreviousState.Name)).toEqual(["running", "stopped"]);
    const after = await ec2("describe-instances", "--instance-ids", ...ids, "--query", "Reservations[].Instances[].State.Name");
    expect(after).toEqual(["terminated", "terminated"]);

    const missing = await aws(url, ["ec2", "terminate-instances", "--instance-ids", "i-0000000000000dead"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain(
      "An error occurred (InvalidInstanceID.NotFound) when calling the TerminateInstances operation: The instance ID 'i-0000000000000dead' does not exist",
    );

    // Each step's record, in EC2's shapes.
    const createVpc = await recordOf(url, "CreateVpc");
    expect(createVpc.userAgent).toMatch(/^aws-cli\/1\./);
    expect(createVpc.requestParameters).toEqual({ cidrBlock: "10.10.0.0/16", tagSpecificationSet: { items: [{ resourceType: "vpc", tags: [{ key: "Name", value: "shop" }] }] } });
    expect((createVpc.responseElements as { vpc: { vpcId: string } }).vpc.vpcId).toBe(vpcId);
    const createSubnet = await recordOf(url, "CreateSubnet");
    expect(createSubnet.requestParameters).toEqual({ vpcId, cidrBlock: "10.10.1.0/24", availabilityZone: "us-east-1a" });
    const createGroup = await recordOf(url, "CreateSecurityGroup");
    expect(createGroup.requestParameters).toEqual({ groupName: "shop-web", groupDescription: "shop web tier", vpcId });
    expect(createGroup.responseElements).toMatchObject({ requestId: createGroup.requestID, _return: true, groupId });
    const ingress = await recordOf(url, "AuthorizeSecurityGroupIngress");
    // The CLI turns --protocol/--port/--cidr into IpPermissions before sending.
    expect(ingress.requestParameters).toEqual({
      groupId,
      ipPermissions: { items: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: "203.0.113.0/24" }] }, ipv6Ranges: {}, prefixListIds: {} }] },
    });
    const createKey = await recordOf(url, "CreateKeyPair");
    expect(createKey.responseElements).toMatchObject({ keyName: "shop-ops", keyMaterial: "<sensitiveDataRemoved>" });
    const runRecord = await recordOf(url, "RunInstances");
    expect(runRecord.requestParameters).toMatchObject({
      instancesSet: { items: [{ imageId: image[0]!.ImageId, minCount: 2, maxCount: 2, keyName: "shop-ops" }] },
      groupSet: { items: [{ groupId }] },
      userData: "<sensitiveDataRemoved>",
      subnetId,
      tagSpecificationSet: { items: [{ resourceType: "instance", tags: [{ key: "Name", value: "shop-web" }, { key: "tier", value: "web" }] }] },
    });
    expect((runRecord.responseElements as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items.map((i) => i.instanceId)).toEqual(ids);
    const describeRecord = await recordOf(url, "DescribeInstances");
    expect(describeRecord).toMatchObject({ readOnly: true, responseElements: null, requestParameters: { instancesSet: { items: ids.map((instanceId) => ({ instanceId })) }, filterSet: {} } });
    const failed = (await lookupRecords(url, "EventName", "TerminateInstances")).find((r) => r.errorCode)!;
    expect(failed).toMatchObject({ errorCode: "Client.InvalidInstanceID.NotFound", responseElements: null });
    const history = await lookupRecords(url, "ResourceName", ids[1]!);
    // Events that named the instance: the filtered describe named none, the one by id did.
    expect(history.map((r) => r.eventName)).toEqual(["DescribeInstances", "TerminateInstances", "StopInstances", "RunInstances"]);
  });

  it("runs the same kind of script with boto3, its waiters included, and sees EC2's errors, statuses and request ids", async () => {
    const result = await boto3<Record<string, unknown>>(
      server.url,
      `
from botocore.exceptions import ClientError
c = boto3.client("ec2", region_name="eu-west-1")
vpc = c.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
subnet = c.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/24")["Subnet"]["SubnetId"]
sg = c.create_security_group(GroupName="api", Description="api", VpcId=vpc)["GroupId"]
c.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
image = c.describe_images(Owners=["amazon"], Filters=[{"Name": "architecture", "Values": ["arm64"]}])["Images"][0]["ImageId"]
run = c.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType="t4g.micro", SubnetId=subnet, SecurityGroupIds=[sg],
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": "api"}]}])
ids = [i["InstanceId"] for i in run["Instances"]]
c.get_waiter("instance_running").wait(InstanceIds=ids)
found = c.describe_instances(Filters=[{"Name": "tag:app", "Values": ["api"]}])["Reservations"][0]["Instances"]
out = {"ids": ids, "found": [i["InstanceId"] for i in found], "states": [i["State"]["Name"] for i in found]}
try:
    c.stop_instances(InstanceIds=["i-0000000000000dead"])
except ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["ResponseMetadata"]["RequestId"]]
try:
    c.terminate_instances(InstanceIds=ids, DryRun=True)
except ClientError as e:
    out["dry"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
c.terminate_instances(InstanceIds=ids)
c.get_waiter("instance_terminated").wait(InstanceIds=ids)
out["after"] = [i["State"]["Name"] for r in c.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]]
out["virginia"] = len(boto3.client("ec2", region_name="us-east-1").describe_instances(Filters=[{"Name": "tag:app", "Values": ["api"]}])["Reservations"])
print(json.dumps(out))
`,
    );
    const ids = result.ids as string[];
    expect(result.found).toEqual(ids);
    expect(result.states).toEqual(["running", "running"]);
    const [code, message, status, requestId] = result.error as [string, string, number, string];
    expect([code, message, status]).toEqual(["InvalidInstanceID.NotFound", "The instance ID 'i-0000000000000dead' does not exist", 400]);
    expect(result.dry).toEqual(["DryRunOperation", 412]);
    expect(result.after).toEqual(["terminated", "terminated"]);
    expect(result.virginia).toBe(0);

    // boto3 read the request id from the error body: the failed call's record carries the same one.
    const failed = (await lookupRecords(server.url, "EventName", "StopInstances", "eu-west-1")).find((r) => r.errorCode)!;
    expect(failed).toMatchObject({ requestID: requestId, errorCode: "Client.InvalidInstanceID.NotFound", awsRegion: "eu-west-1" });
    expect(failed.userAgent).toMatch(/^Boto3\//);
    const run = await recordOf(server.url, "RunInstances", "eu-west-1");
    expect(run.awsRegion).toBe("eu-west-1");
    expect((run.responseElements as { requestId: string }).requestId).toBe(run.requestID);
    expect(await lookupRecords(server.url, "ResourceName", ids[0]!, "us-east-1")).toEqual([]);
  });

  it("answers the AWS CLI v2 as well", async () => {
    expect(existsSync(AWS_CLI_V2), "the AWS CLI v2 (apt-get install awscli; .ci/run installs it)").toBe(true);
    const out = await awsJson<{ Reservations: { Instances: Instance[] }[] }>(
      server.url,
      ["ec2", "describe-instances", "--filters", "Name=instance-state-name,Values=terminated", "--region", "eu-west-1"],
      undefined,
      undefined,
      AWS_CLI_V2,
    );
    expect(out.Reservations.flatMap((r) => r.Instances).map((i) => i.State.Name)).toEqual(["terminated", "terminated"]);
    const record = (await lookupRecords(server.url, "EventName", "DescribeInstances", "eu-west-1"))[0]!;
    expect(record.userAgent).toMatch(/^aws-cli\/2\./);
  });
});

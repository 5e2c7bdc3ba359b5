import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteKeyPairCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeTagsCommand,
  EC2Client,
  ImportKeyPairCommand,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, sdkError } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const account = (id: string) => ({ accessKeyId: id, secretAccessKey: "test" });

/** The public key ssh-keygen derives from a private key file: proof the key material is a real key. */
function sshPublicKey(material: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ec2-key-"));
  try {
    const file = join(dir, "key");
    writeFileSync(file, material, { mode: 0o600 });
    return execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("EC2 key pairs and images", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("creates real RSA and ED25519 key pairs with AWS's fingerprints and never records the private key", async () => {
    const creds = account("555555555555");
    const ec2 = new EC2Client(clientConfig(server.url, creds));
    const rsa = await ec2.send(new CreateKeyPairCommand({ KeyName: "deploy" }));
    expect(rsa.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(rsa.KeyPairId).toMatch(/^key-0[0-9a-f]{16}$/);
    const der = createPrivateKey(rsa.KeyMaterial!).export({ type: "pkcs8", format: "der" });
    const sha1 = [...createHash("sha1").update(der).digest()].map((b) => b.toString(16).padStart(2, "0")).join(":");
    expect(rsa.KeyFingerprint).toBe(sha1);

    const ed = await ec2.send(new CreateKeyPairCommand({ KeyName: "ed", KeyType: "ed25519" }));
    expect(ed.KeyMaterial).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const { KeyPairs } = await ec2.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
    expect(KeyPairs!.map((k) => [k.KeyName, k.KeyType])).toEqual([
      ["deploy", "rsa"],
      ["ed", "ed25519"],
    ]);
    // ssh-keygen reads both private keys back to the public keys EC2 describes (its OpenSSH file adds the key name as comment).
    expect(KeyPairs![0]!.PublicKey).toBe(sshPublicKey(rsa.KeyMaterial!));
    expect(sshPublicKey(ed.KeyMaterial!)).toBe(`${KeyPairs![1]!.PublicKey} ed`);
    const blob = Buffer.from(KeyPairs![1]!.PublicKey!.split(" ")[1]!, "base64");
    expect(ed.KeyFingerprint).toBe(createHash("sha256").update(blob).digest("base64"));
    expect(KeyPairs![0]!.CreateTime).toBeInstanceOf(Date);

    const putty = await ec2.send(new CreateKeyPairCommand({ KeyName: "putty", KeyFormat: "ppk" }));
    expect(putty.KeyMaterial).toMatch(/^PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: putty\n/);
    const duplicate = await sdkError(ec2.send(new CreateKeyPairCommand({ KeyName: "deploy" })));
    expect([duplicate.name, duplicate.message, duplicate.$metadata.httpStatusCode]).toEqual(["InvalidKeyPair.Duplicate", "The keypair 'deploy' already exists.", 400]);

    const record = (await lookupRecords(server.url, "EventName", "CreateKeyPair", "us-east-1", creds)).find((r) => r.requestParameters?.keyName === "deploy" && !r.errorCode)!;
    expect(record.requestParameters).toEqual({ keyName: "deploy" });
    expect(record.responseElements).toEqual({
      requestId: record.requestID,
      keyPairId: rsa.KeyPairId,
      keyName: "deploy",
      keyFingerprint: rsa.KeyFingerprint,
      keyMaterial: "<sensitiveDataRemoved>",
    });
    const all = await lookupRecords(server.url, "EventSource", "ec2.amazonaws.com", "us-east-1", creds);
    expect(JSON.stringify(all)).not.toContain("PRIVATE KEY");
  });

  it("imports public keys, fingerprinting RSA keys by the MD5 of their DER public key", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("555555555555")));
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = publicKey.export({ format: "jwk" });
    const mpint = (b64: string) => {
      let bytes = Buffer.from(b64, "base64url");
      if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const name = Buffer.from([0, 0, 0, 7, ...Buffer.from("ssh-rsa")]);
    const line = `ssh-rsa ${Buffer.concat([name, mpint(jwk.e!), mpint(jwk.n!)]).toString("base64")} me@laptop`;
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: "laptop", PublicKeyMaterial: Buffer.from(line) }));
    const md5 = [...createHash("md5").update(publicKey.export({ type: "spki", format: "der" })).digest()].map((b) => b.toString(16).padStart(2, "0")).join(":");
    expect(imported.KeyFingerprint).toBe(md5);
    const bad = await sdkError(ec2.send(new ImportKeyPairCommand({ KeyName: "bad", PublicKeyMaterial: Buffer.from("not a key") })));
    expect([bad.name, bad.message]).toEqual(["InvalidKeyPair.Format", "Key is not in valid OpenSSH public key format"]);
    await ec2.send(new DeleteKeyPairCommand({ KeyName: "laptop" }));
    const missing = await sdkError(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["laptop"] })));
    expect([missing.name, missing.message]).toEqual(["InvalidKeyPair.NotFound", "The key pair 'laptop' does not exist"]);
  });

  it("lists a few public AMIs per region, with owners, filters and AWS's errors", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, account("555555555555")));
    const amazon = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
    expect(amazon.Images!.map((i) => i.ImageOwnerAlias)).toEqual(["amazon", "amazon", "amazon"]);
    const arm = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["al2023-ami-2023.*"] }, { Name: "architecture", Values: ["arm64"] }] }),
    );
    expect(arm.Images).toHaveLength(1);
    expect(arm.Images![0]).toMatchObject({ Architecture: "arm64", State: "available", Public: true, RootDeviceName: "/dev/xvda", VirtualizationType: "hvm" });
    expect(arm.Images![0]!.ImageId).toMatch(/^ami-0[0-9a-f]{16}$/);
    const ireland = new EC2Client(clientConfig(server.url, account("555555555555"), "eu-west-1"));
    const sameName = await ireland.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: [arm.Images![0]!.Name!] }] }));
    expect(sameName.Images![0]!.ImageId).not.toBe(arm.Images![0]!.ImageId);

    const notFound = await sdkError(ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })));
    expect([notFound.name, notFound.message]).toEqual(["InvalidAMIID.NotFound", "The image id '[ami-0123456789abcdef0]' does not exist"]);
    const malformed = await sdkError(ec2.send(new DescribeImagesCommand({ ImageIds: ["ubuntu"] })));
    expect([malformed.name, malformed.message]).toEqual(["InvalidAMIID.Malformed", 'Invalid id: "ubuntu" (expecting "ami-...")']);
  });
});

describe("EC2 instances: launch, describe, stop, start, terminate", () => {
  let server: TestServer;
  const creds = account("666666666666");
  let ec2: EC2Client;
  let imageId: string;
  let subnetId: string;
  let vpcId: string;
  let groupId: string;
  let launched: Instance[];

  beforeAll(async () => {
    server = await startTestServer();
    ec2 = new EC2Client(clientConfig(server.url, creds));
    imageId = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] }))).Images![0]!.ImageId!;
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1c" }))).Subnet!.SubnetId!;
    groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: vpcId }))).GroupId!;
    await ec2.send(new CreateKeyPairCommand({ KeyName: "ops" }));
  });
  afterAll(() => server.close());

  it("launches two tagged instances into a subnet, pending, with addresses from the subnet's range", async () => {
    const reservation = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "t3.micro",
        MinCount: 2,
        MaxCount: 2,
        SubnetId: subnetId,
        SecurityGroupIds: [groupId],
        KeyName: "ops",
        UserData: Buffer.from("#!/bin/sh\necho hello\n").toString("base64"),
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }, { Key: "team", Value: "coffee" }] }],
      }),
    );
    launched = reservation.Instances!;
    expect(reservation.ReservationId).toMatch(/^r-0[0-9a-f]{16}$/);
    expect(reservation.OwnerId).toBe("666666666666");
    expect(launched.map((i) => [i.State, i.AmiLaunchIndex, i.PrivateIpAddress])).toEqual([
      [{ Code: 0, Name: "pending" }, 0, "10.0.1.4"],
      [{ Code: 0, Name: "pending" }, 1, "10.0.1.5"],
    ]);
    expect(launched[0]).toMatchObject({
      ImageId: imageId,
      InstanceType: "t3.micro",
      KeyName: "ops",
      SubnetId: subnetId,
      VpcId: vpcId,
      PrivateDnsName: "ip-10-0-1-4.ec2.internal",
      Placement: { AvailabilityZone: "us-east-1c", Tenancy: "default" },
      SecurityGroups: [{ GroupId: groupId, GroupName: "app" }],
      StateReason: { Code: "pending", Message: "pending" },
      Architecture: "x86_64",
      RootDeviceType: "ebs",
      Tags: [
        { Key: "Name", Value: "web" },
        { Key: "team", Value: "coffee" },
      ],
    });
    expect(launched[0]!.InstanceId).toMatch(/^i-0[0-9a-f]{16}$/);
    expect(launched[0]!.LaunchTime).toBeInstanceOf(Date);

    const record = await latestRecord(server.url, "RunInstances", "us-east-1", creds);
    expect(record.requestParameters).toEqual({
      instancesSet: { items: [{ imageId, minCount: 2, maxCount: 2, keyName: "ops" }] },
      groupSet: { items: [{ groupId }] },
      instanceType: "t3.micro",
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      disableApiStop: false,
      subnetId,
      userData: "<sensitiveDataRemoved>",
      clientToken: expect.any(String),
      tagSpecificationSet: {
        items: [
          {
            resourceType: "instance",
            tags: [
              { key: "Name", value: "web" },
              { key: "team", value: "coffee" },
            ],
          },
        ],
      },
    });
    const response = record.responseElements as { requestId: string; reservationId: string; groupSet: object; instancesSet: { items: Record<string, unknown>[] } };
    expect(response.requestId).toBe(record.requestID);
    expect(Object.keys(response).slice(0, 5)).toEqual(["requestId", "reservationId", "ownerId", "groupSet", "instancesSet"]);
    expect(response.reservationId).toBe(reservation.ReservationId);
    expect(response.groupSet).toEqual({});
    const first = response.instancesSet.items[0]!;
    expect(Object.keys(first).slice(0, 4)).toEqual(["instanceId", "imageId", "currentInstanceBootMode", "instanceState"]);
    expect(first).toMatchObject({
      instanceId: launched[0]!.InstanceId,
      instanceState: { code: 0, name: "pending" },
      privateDnsName: "ip-10-0-1-4.ec2.internal",
      amiLaunchIndex: 0,
      productCodes: {},
      launchTime: launched[0]!.LaunchTime!.getTime(),
      placement: { availabilityZone: "us-east-1c", tenancy: "default" },
      stateReason: { code: "pending", message: "pending" },
      blockDeviceMapping: {},
      groupSet: { items: [{ groupId, groupName: "app" }] },
      tagSet: { items: [{ key: "Name", value: "web" }, { key: "team", value: "coffee" }] },
    });
    expect(first).not.toHaveProperty("dnsName");
    const eni = (first.networkInterfaceSet as { items: Record<string, unknown>[] }).items[0]!;
    expect(eni).toMatchObject({
      networkInterfaceId: launched[0]!.NetworkInterfaces![0]!.NetworkInterfaceId,
      status: "in-use",
      attachment: { deviceIndex: 0, status: "attaching", deleteOnTermination: true },
      privateIpAddressesSet: { item: [{ privateIpAddress: "10.0.1.4", privateDnsName: "ip-10-0-1-4.ec2.internal", primary: true }] },
      tagSet: {},
    });
    expect(record.resources).toBeUndefined();
    const aboutInstance = await lookupRecords(server.url, "ResourceName", launched[0]!.InstanceId!, "us-east-1", creds);
    expect(aboutInstance.map((r) => r.eventName)).toEqual(["RunInstances"]);
  });

  it("describes the instances running once launched, with filters on tags, state, ids, VPC and subnet", async () => {
    const ids = launched.map((i) => i.InstanceId!);
    const all = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    expect(all.Reservations).toHaveLength(1);
    expect(all.Reservations![0]!.Instances!.map((i) => [i.State!.Name, i.State!.Code])).toEqual([
      ["running", 16],
      ["running", 16],
    ]);
    expect(all.Reservations![0]!.Instances![0]!.BlockDeviceMappings![0]).toMatchObject({ DeviceName: "/dev/xvda", Ebs: { Status: "attached", DeleteOnTermination: true } });

    const filters: [string, string][] = [
      ["tag:Name", "web"],
      ["tag-key", "team"],
      ["tag-value", "cof*"],
      ["instance-state-name", "running"],
      ["vpc-id", vpcId],
      ["subnet-id", subnetId],
      ["instance.group-id", groupId],
      ["key-name", "ops"],
    ];
    for (const [name, value] of filters) {
      const found = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: name, Values: [value] }] }));
      expect(found.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), name).toEqual(ids);
    }
    const one = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: [ids[1]!] }] }));
    expect(one.Reservations![0]!.Instances!.map((i) => i.InstanceId)).toEqual([ids[1]]);
    const none = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: ["db"] }] }));
    expect(none.Reservations).toEqual([]);

    const record = await latestRecord(server.url, "DescribeInstances", "us-east-1", creds);
    expect(record).toMatchObject({
      readOnly: true,
      responseElements: null,
      requestParameters: { instancesSet: {}, filterSet: { items: [{ name: "tag:Name", valueSet: { items: [{ value: "db" }] } }] } },
    });
  });

  it("pages DescribeInstances by MaxResults and NextToken, within EC2's limits", async () => {
    // Without InstanceType EC2 launches its default, m1.small, which runs no HVM image.
    const defaulted = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1 })));
    expect([defaulted.name, defaulted.message]).toEqual([
      "InvalidParameterCombination",
      "Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.",
    ]);
    const unknownType = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, InstanceType: "t3.huge" as never })));
    expect([unknownType.name, unknownType.message]).toEqual(["InvalidParameterValue", "Invalid value 't3.huge' for InstanceType."]);
    const more = await ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 4, MaxCount: 4, InstanceType: "t3.nano" }));
    expect(more.Instances![0]).toMatchObject({ InstanceType: "t3.nano", Placement: { AvailabilityZone: "us-east-1a" } });
    expect(more.Instances![0]!.Tags).toBeUndefined();
    expect(more.Instances![0]!.PrivateIpAddress).toMatch(/^172\.31\.0\.\d+$/);
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const second = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }));
    const count = (r: typeof first) => r.Reservations!.flatMap((x) => x.Instances!).length;
    expect([count(first), count(second), second.NextToken]).toEqual([5, 1, undefined]);
    const small = await sdkError(ec2.send(new DescribeInstancesCommand({ MaxResults: 3 })));
    expect([small.name, small.message]).toEqual(["InvalidParameterValue", "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5."]);
    const both = await sdkError(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [launched[0]!.InstanceId!] })));
    expect([both.name, both.message]).toEqual(["InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults"]);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: more.Instances!.map((i) => i.InstanceId!) }));
  });

  it("stops, starts and terminates through AWS's transitional states, with the state changes recorded", async () => {
    const id = launched[0]!.InstanceId!;
    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopping.StoppingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } }]);
    const stopped = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(stopped.State).toEqual({ Code: 80, Name: "stopped" });
    expect(stopped.StateReason).toEqual({ Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" });
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);

    const status = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id, launched[1]!.InstanceId!] }));
    expect(status.InstanceStatuses!.map((s) => s.InstanceId)).toEqual([launched[1]!.InstanceId]);
    expect(status.InstanceStatuses![0]).toMatchObject({ InstanceState: { Code: 16, Name: "running" }, InstanceStatus: { Status: "ok" }, SystemStatus: { Status: "ok" } });

    // The instance type changes only while stopped.
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.small" } }));
    const type = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "instanceType" }));
    expect(type.InstanceType).toEqual({ Value: "t3.small" });
    const userData = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }));
    expect(Buffer.from(userData.UserData!.Value!, "base64").toString()).toBe("#!/bin/sh\necho hello\n");

    const starting = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(starting.StartingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 0, Name: "pending" }, PreviousState: { Code: 80, Name: "stopped" } }]);
    const running = await sdkError(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.large" } })));
    expect([running.name, running.message]).toEqual(["IncorrectInstanceState", `The instance '${id}' is not in the 'stopped' state.`]);
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));

    const terminating = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminating.TerminatingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 32, Name: "shutting-down" }, PreviousState: { Code: 16, Name: "running" } }]);
    const terminated = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["terminated"] }, { Name: "instance-id", Values: [id] }] })))
      .Reservations![0]!.Instances![0]!;
    expect(terminated).toMatchObject({ State: { Code: 48, Name: "terminated" }, PrivateDnsName: "", NetworkInterfaces: [], BlockDeviceMappings: [] });
    const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(again.TerminatingInstances![0]).toMatchObject({ CurrentState: { Code: 48, Name: "terminated" }, PreviousState: { Code: 48, Name: "terminated" } });
    const restart = await sdkError(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })));
    expect([restart.name, restart.message]).toEqual(["IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be started.`]);

    const stopRecord = await latestRecord(server.url, "StopInstances", "us-east-1", creds);
    // AWS records force: false when the caller sent no Force (CloudTrail User Guide's StopInstances example).
    expect(stopRecord.requestParameters).toEqual({ instancesSet: { items: [{ instanceId: id }] }, force: false });
    expect(stopRecord.responseElements).toEqual({
      requestId: stopRecord.requestID,
      instancesSet: { items: [{ instanceId: id, currentState: { code: 64, name: "stopping" }, previousState: { code: 16, name: "running" } }] },
    });
    const startRecord = (await lookupRecords(server.url, "EventName", "StartInstances", "us-east-1", creds)).find((r) => !r.errorCode)!;
    expect(startRecord.responseElements).toEqual({
      requestId: startRecord.requestID,
      instancesSet: { items: [{ instanceId: id, currentState: { code: 0, name: "pending" }, previousState: { code: 80, name: "stopped" } }] },
    });
    const terminateRecord = (await lookupRecords(server.url, "EventName", "TerminateInstances", "us-east-1", creds)).find(
      (r) => (r.requestParameters as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0]!.instanceId === id && (r.responseElements as { instancesSet: { items: { previousState: { code: number } }[] } }).instancesSet.items[0]!.previousState.code === 16,
    )!;
    expect(terminateRecord.responseElements).toEqual({
      requestId: terminateRecord.requestID,
      instancesSet: { items: [{ instanceId: id, currentState: { code: 32, name: "shutting-down" }, previousState: { code: 16, name: "running" } }] },
    });
    const reboot = await latestRecord(server.url, "RebootInstances", "us-east-1", creds);
    expect(reboot.responseElements).toEqual({ requestId: reboot.requestID, _return: true });
    const history = await lookupRecords(server.url, "ResourceName", id, "us-east-1", creds);
    expect(history.map((r) => r.eventName)).toEqual(expect.arrayContaining(["RunInstances", "StopInstances", "ModifyInstanceAttribute", "StartInstances", "TerminateInstances"]));
  });

  it("answers unknown and malformed instance ids as EC2 does, and records Client. error codes", async () => {
    const missing = await sdkError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0000000000000dead", "i-0000000000000beef"] })));
    expect([missing.name, missing.message, missing.$metadata.httpStatusCode]).toEqual([
      "InvalidInstanceID.NotFound",
      "The instance IDs 'i-0000000000000dead, i-0000000000000beef' do not exist",
      400,
    ]);
    const stop = await sdkError(ec2.send(new StopInstancesCommand({ InstanceIds: ["i-0000000000000dead"] })));
    expect([stop.name, stop.message]).toEqual(["InvalidInstanceID.NotFound", "The instance ID 'i-0000000000000dead' does not exist"]);
    const record = (await lookupRecords(server.url, "EventName", "StopInstances", "us-east-1", creds)).find((r) => r.errorCode)!;
    expect(record).toMatchObject({
      errorCode: "Client.InvalidInstanceID.NotFound",
      errorMessage: "The instance ID 'i-0000000000000dead' does not exist",
      requestParameters: { instancesSet: { items: [{ instanceId: "i-0000000000000dead" }] } },
      responseElements: null,
      readOnly: false,
    });
    const malformed = await sdkError(ec2.send(new TerminateInstancesCommand({ InstanceIds: ["ma1"] })));
    expect([malformed.name, malformed.message]).toEqual(["InvalidInstanceID.Malformed", 'Invalid id: "ma1"']);
    const mismatch = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t4g.micro", MinCount: 1, MaxCount: 1 })));
    expect(mismatch.name).toBe("InvalidParameterValue");
    expect(mismatch.message).toMatch(/^The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI\./);
    const noKey = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, KeyName: "nope" })));
    expect([noKey.name, noKey.message]).toEqual(["InvalidKeyPair.NotFound", "The key pair 'nope' does not exist"]);
    const otherVpc = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SecurityGroupIds: [groupId] })));
    expect(otherVpc.name).toBe("InvalidGroup.NotFound");
  });

  it("answers DryRun with DryRunOperation (412) and changes nothing", async () => {
    const id = launched[1]!.InstanceId!;
    const dry = await sdkError(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true })));
    expect([dry.name, dry.message, dry.$metadata.httpStatusCode]).toEqual(["DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412]);
    const still = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(still.State!.Name).toBe("running");
    // A dry run that would fail answers that failure instead.
    const wouldFail = await sdkError(ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0000000000000dead"], DryRun: true })));
    expect(wouldFail.name).toBe("InvalidInstanceID.NotFound");
    const dryLaunch = await sdkError(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, DryRun: true })));
    expect(dryLaunch.name).toBe("DryRunOperation");
    const count = (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!).length;
    expect(count).toBe(6);
    const record = (await lookupRecords(server.url, "EventName", "TerminateInstances", "us-east-1", creds)).find((r) => r.errorCode === "Client.DryRunOperation")!;
    expect(record).toMatchObject({ errorMessage: "Request would have succeeded, but DryRun flag is set.", responseElements: null });
  });

  it("tags any resource, describes and deletes tags by key and value", async () => {
    const id = launched[1]!.InstanceId!;
    await ec2.send(new CreateTagsCommand({ Resources: [id, vpcId], Tags: [{ Key: "env", Value: "test" }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }));
    expect(tags.Tags!.map((t) => [t.ResourceType, t.ResourceId, t.Value]).sort()).toEqual(
      [
        ["instance", id, "test"],
        ["vpc", vpcId, "test"],
      ].sort(),
    );
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: "env", Value: "other" }] }));
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }, { Name: "key", Values: ["env"] }] }))).Tags).toHaveLength(1);
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: "env" }] }));
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }, { Name: "key", Values: ["env"] }] }))).Tags).toEqual([]);
    const reserved = await sdkError(ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "aws:owner", Value: "me" }] })));
    expect(reserved.name).toBe("InvalidParameterValue");
    const unknown = await sdkError(ec2.send(new CreateTagsCommand({ Resources: ["i-0000000000000dead"], Tags: [{ Key: "a", Value: "b" }] })));
    expect(unknown.name).toBe("InvalidInstanceID.NotFound");

    const record = (await lookupRecords(server.url, "EventName", "CreateTags", "us-east-1", creds)).find((r) => !r.errorCode)!;
    expect(record.requestParameters).toEqual({
      resourcesSet: { items: [{ resourceId: id }, { resourceId: vpcId }] },
      tagSet: { items: [{ key: "env", value: "test" }] },
    });
    expect(record.responseElements).toEqual({ requestId: record.requestID, _return: true });
    const resources = await lookupRecords(server.url, "ResourceType", "AWS::EC2::VPC", "us-east-1", creds);
    expect(resources.map((r) => r.eventName)).toContain("CreateTags");
  });

  it("keeps each region separate: an instance in eu-west-1 is invisible from us-east-1 and recorded in eu-west-1", async () => {
    const ireland = new EC2Client(clientConfig(server.url, creds, "eu-west-1"));
    const image = (await ireland.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] }))).Images![0]!.ImageId!;
    const [instance] = (await ireland.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, InstanceType: "t3.nano" }))).Instances!;
    expect(instance!.Placement!.AvailabilityZone).toBe("eu-west-1a");
    expect(instance!.PrivateDnsName).toMatch(/^ip-172-31-0-\d+\.eu-west-1\.compute\.internal$/);
    const here = await sdkError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance!.InstanceId!] })));
    expect(here.name).toBe("InvalidInstanceID.NotFound");
    const there = (await ireland.send(new DescribeInstancesCommand({ InstanceIds: [instance!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(there.State!.Name).toBe("running");
    // A default subnet maps a public address, and the default VPC gives it a public DNS name.
    expect(there.PublicIpAddress).toMatch(/^3\.\d+\.\d+\.\d+$/);
    expect(there.PublicDnsName).toBe(`ec2-${there.PublicIpAddress!.replace(/\./g, "-")}.eu-west-1.compute.amazonaws.com`);

    const inIreland = await lookupRecords(server.url, "ResourceName", instance!.InstanceId!, "eu-west-1", creds);
    expect(inIreland.map((r) => [r.eventName, r.awsRegion, r.errorCode])).toEqual([
      ["DescribeInstances", "eu-west-1", undefined],
      ["RunInstances", "eu-west-1", undefined],
    ]);
    const inVirginia = await lookupRecords(server.url, "ResourceName", instance!.InstanceId!, "us-east-1", creds);
    expect(inVirginia.map((r) => [r.eventName, r.errorCode])).toEqual([["DescribeInstances", "Client.InvalidInstanceID.NotFound"]]);
  });

  it("protects an instance from termination and stopping while its attributes say so", async () => {
    const london = new EC2Client(clientConfig(server.url, creds, "eu-west-2"));
    const image = (await london.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] }))).Images![0]!.ImageId!;
    const id = (await london.send(new RunInstancesCommand({ ImageId: image, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, DisableApiTermination: true, DisableApiStop: true })))
      .Instances![0]!.InstanceId!;
    const terminate = await sdkError(london.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
    expect([terminate.name, terminate.message]).toEqual([
      "OperationNotPermitted",
      `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    ]);
    expect((await sdkError(london.send(new StopInstancesCommand({ InstanceIds: [id] })))).name).toBe("OperationNotPermitted");
    await london.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    expect((await london.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "disableApiTermination" }))).DisableApiTermination).toEqual({ Value: false });
    expect((await london.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).TerminatingInstances![0]!.CurrentState!.Name).toBe("shutting-down");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";
const EC2_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

describe("IAM instance profiles", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateRoleCommand({ RoleName: "web-host", AssumeRolePolicyDocument: EC2_TRUST }));
  });
  afterAll(() => server.close());

  it("creates an instance profile and records it", async () => {
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web", Path: "/hosts/" }));
    expect(InstanceProfile).toMatchObject({ InstanceProfileName: "web", Path: "/hosts/", Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/hosts/web`, Roles: [] });
    expect(InstanceProfile!.InstanceProfileId).toMatch(/^AIPA[A-Z0-9]{17}$/);
    const record = await latestRecord(server.url, "CreateInstanceProfile");
    expect(record.requestParameters).toEqual({ instanceProfileName: "web", path: "/hosts/" });
    expect(record.responseElements).toMatchObject({ instanceProfile: { instanceProfileName: "web", roles: [] } });
    expect((await lookupRecords(server.url, "ResourceName", "web")).map((r) => r.eventName)).toEqual(["CreateInstanceProfile"]);
    const again = await failure(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web" })));
    expect(again).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "Instance Profile web already exists." });
  });

  it("holds one role, listed with its URL-encoded trust policy", async () => {
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "web-host" }));
    const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "web" }));
    expect(InstanceProfile!.Tags).toEqual([]);
    expect(InstanceProfile!.Roles).toHaveLength(1);
    expect(InstanceProfile!.Roles![0]).toMatchObject({ RoleName: "web-host", Path: "/" });
    expect(decodeURIComponent(InstanceProfile!.Roles![0]!.AssumeRolePolicyDocument!)).toBe(EC2_TRUST);
    const second = await failure(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "web-host" })));
    expect(second).toEqual({ name: "LimitExceededException", status: 409, message: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1" });
    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "web-host" }));
    expect(forRole.InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(["web"]);
    expect((await iam.send(new ListInstanceProfilesCommand({ PathPrefix: "/hosts/" }))).InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(["web"]);
  });

  it("keeps a role in a profile, and a profile with a role, from being deleted", async () => {
    const role = await failure(iam.send(new DeleteRoleCommand({ RoleName: "web-host" })));
    expect(role).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must remove roles from instance profile first." });
    const profile = await failure(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "web" })));
    expect(profile).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must remove roles from instance profile first." });
  });

  it("removes the role, then deletes both", async () => {
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "web-host" }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "web" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "web-host" }));
    const gone = await failure(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "web" })));
    expect(gone).toEqual({ name: "NoSuchEntityException", status: 404, message: "Instance Profile web cannot be found." });
    const record = await latestRecord(server.url, "GetInstanceProfile");
    expect(record).toMatchObject({ errorCode: "NoSuchEntityException", readOnly: true, requestParameters: { instanceProfileName: "web" } });
  });
});

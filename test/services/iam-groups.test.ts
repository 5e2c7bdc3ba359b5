import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeleteUserCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  IAMClient,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";

describe("IAM groups and membership", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    for (const user of ["alice", "bob"]) await iam.send(new CreateUserCommand({ UserName: user }));
  });
  afterAll(() => server.close());

  it("creates a group and records it", async () => {
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: "admins", Path: "/ops/" }));
    expect(Group).toMatchObject({ GroupName: "admins", Path: "/ops/", Arn: `arn:aws:iam::${ACCOUNT}:group/ops/admins` });
    expect(Group!.GroupId).toMatch(/^AGPA[A-Z0-9]{17}$/);
    const record = await latestRecord(server.url, "CreateGroup");
    expect(record.requestParameters).toEqual({ path: "/ops/", groupName: "admins" });
    expect(record.responseElements).toEqual({
      group: { path: "/ops/", groupName: "admins", groupId: Group!.GroupId, arn: Group!.Arn, createDate: expect.stringMatching(/ [AP]M$/) },
    });
    const found = await lookupRecords(server.url, "ResourceName", "admins");
    expect(found[0]!.eventName).toBe("CreateGroup");
    const again = await failure(iam.send(new CreateGroupCommand({ GroupName: "ADMINS" })));
    expect(again).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "Group with name ADMINS already exists." });
  });

  it("adds users (idempotently), lists them in GetGroup and the groups of a user", async () => {
    await iam.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "bob" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "alice" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "alice" }));
    const got = await iam.send(new GetGroupCommand({ GroupName: "admins" }));
    expect(got.Users!.map((u) => u.UserName)).toEqual(["alice", "bob"]);
    expect(got.IsTruncated).toBe(false);
    const page = await iam.send(new GetGroupCommand({ GroupName: "admins", MaxItems: 1 }));
    expect(page).toMatchObject({ IsTruncated: true, Users: [{ UserName: "alice" }] });
    const next = await iam.send(new GetGroupCommand({ GroupName: "admins", Marker: page.Marker }));
    expect(next.Users!.map((u) => u.UserName)).toEqual(["bob"]);
    const { Groups } = await iam.send(new ListGroupsForUserCommand({ UserName: "alice" }));
    expect(Groups!.map((g) => g.GroupName)).toEqual(["admins"]);
    const record = await latestRecord(server.url, "AddUserToGroup");
    expect(record).toMatchObject({ requestParameters: { groupName: "admins", userName: "alice" }, responseElements: null, readOnly: false });
  });

  it("answers unknown users and groups with NoSuchEntity", async () => {
    expect(await failure(iam.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "nobody" })))).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: "The user with name nobody cannot be found.",
    });
    expect(await failure(iam.send(new GetGroupCommand({ GroupName: "nogroup" })))).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: "The group with name nogroup cannot be found.",
    });
  });

  it("lists groups by path", async () => {
    await iam.send(new CreateGroupCommand({ GroupName: "devs" }));
    expect((await iam.send(new ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toEqual(["admins", "devs"]);
    expect((await iam.send(new ListGroupsCommand({ PathPrefix: "/ops/" }))).Groups!.map((g) => g.GroupName)).toEqual(["admins"]);
  });

  it("renames a group and keeps its members", async () => {
    await iam.send(new UpdateGroupCommand({ GroupName: "admins", NewGroupName: "operators", NewPath: "/" }));
    const got = await iam.send(new GetGroupCommand({ GroupName: "operators" }));
    expect(got.Group).toMatchObject({ GroupName: "operators", Arn: `arn:aws:iam::${ACCOUNT}:group/operators`, Path: "/" });
    expect(got.Users!.map((u) => u.UserName)).toEqual(["alice", "bob"]);
    expect((await failure(iam.send(new GetGroupCommand({ GroupName: "admins" })))).name).toBe("NoSuchEntityException");
    const taken = await failure(iam.send(new UpdateGroupCommand({ GroupName: "operators", NewGroupName: "devs" })));
    expect(taken).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "Group with name devs already exists." });
  });

  it("keeps users in a group from being deleted", async () => {
    const err = await failure(iam.send(new DeleteUserCommand({ UserName: "bob" })));
    expect(err).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must remove users from group first." });
  });

  it("refuses to delete a group with members or policies, then deletes it", async () => {
    expect(await failure(iam.send(new DeleteGroupCommand({ GroupName: "operators" })))).toEqual({
      name: "DeleteConflictException",
      status: 409,
      message: "Cannot delete entity, must remove users from group first.",
    });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: "operators", UserName: "alice" }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: "operators", UserName: "bob" }));
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: "bob" }))).Groups).toEqual([]);

    await iam.send(new PutGroupPolicyCommand({ GroupName: "operators", PolicyName: "all", PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' }));
    expect((await failure(iam.send(new DeleteGroupCommand({ GroupName: "operators" })))).message).toBe("Cannot delete entity, must delete policies first.");
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: "operators", PolicyName: "all" }));

    await iam.send(new AttachGroupPolicyCommand({ GroupName: "operators", PolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }));
    expect((await failure(iam.send(new DeleteGroupCommand({ GroupName: "operators" })))).message).toBe("Cannot delete entity, must detach all policies first.");
    await iam.send(new DetachGroupPolicyCommand({ GroupName: "operators", PolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }));

    await iam.send(new DeleteGroupCommand({ GroupName: "operators" }));
    expect((await iam.send(new ListGroupsCommand({}))).Groups!.map((g) => g.GroupName)).toEqual(["devs"]);
    const record = await latestRecord(server.url, "DeleteGroup");
    expect(record).toMatchObject({ requestParameters: { groupName: "operators" }, responseElements: null });
    await iam.send(new DeleteUserCommand({ UserName: "bob" }));
  });

  it("answers removing a user who is not a member with NoSuchEntity", async () => {
    const err = await failure(iam.send(new RemoveUserFromGroupCommand({ GroupName: "devs", UserName: "alice" })));
    expect(err).toMatchObject({ name: "NoSuchEntityException", status: 404 });
  });
});

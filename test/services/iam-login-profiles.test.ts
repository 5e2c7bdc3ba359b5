import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetLoginProfileCommand,
  IAMClient,
  UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";

describe("IAM login profiles", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "erin" }));
  });
  afterAll(() => server.close());

  it("creates a password; the record never holds it, not even hidden", async () => {
    const { LoginProfile } = await iam.send(new CreateLoginProfileCommand({ UserName: "erin", Password: "P4ssw0rd!x", PasswordResetRequired: true }));
    expect(LoginProfile).toMatchObject({ UserName: "erin", PasswordResetRequired: true });
    expect(LoginProfile!.CreateDate).toBeInstanceOf(Date);
    const record = await latestRecord(server.url, "CreateLoginProfile");
    expect(record.requestParameters).toEqual({ userName: "erin", passwordResetRequired: true });
    expect(record.responseElements).toEqual({
      loginProfile: { userName: "erin", createDate: expect.stringMatching(/ [AP]M$/), passwordResetRequired: true },
    });
    expect(JSON.stringify(record)).not.toContain("P4ssw0rd!x");
  });

  it("refuses a second password", async () => {
    const err = await failure(iam.send(new CreateLoginProfileCommand({ UserName: "erin", Password: "another1!" })));
    expect(err).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "Login Profile for user erin already exists." });
  });

  it("gets and updates the profile; the update's record has no password either", async () => {
    await iam.send(new UpdateLoginProfileCommand({ UserName: "erin", Password: "N3w-secret!", PasswordResetRequired: false }));
    const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: "erin" }));
    expect(LoginProfile).toMatchObject({ UserName: "erin", PasswordResetRequired: false });
    const record = await latestRecord(server.url, "UpdateLoginProfile");
    expect(record).toMatchObject({ requestParameters: { userName: "erin", passwordResetRequired: false }, responseElements: null });
    expect(JSON.stringify(record)).not.toContain("N3w-secret!");
    expect((await latestRecord(server.url, "GetLoginProfile")).readOnly).toBe(true);
  });

  it("lets an IAM user read their own profile without naming themselves", async () => {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "erin" }));
    const asErin = new IAMClient(clientConfig(server.url, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    const { LoginProfile } = await asErin.send(new GetLoginProfileCommand({}));
    expect(LoginProfile!.UserName).toBe("erin");
  });

  it("keeps a user with a password from being deleted, and deletes the profile", async () => {
    await iam.send(new CreateUserCommand({ UserName: "frank" }));
    await iam.send(new CreateLoginProfileCommand({ UserName: "frank", Password: "Fr4nk-pass" }));
    const conflict = await failure(iam.send(new DeleteUserCommand({ UserName: "frank" })));
    expect(conflict).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must delete login profile first." });
    await iam.send(new DeleteLoginProfileCommand({ UserName: "frank" }));
    const missing = await failure(iam.send(new GetLoginProfileCommand({ UserName: "frank" })));
    expect(missing).toEqual({ name: "NoSuchEntityException", status: 404, message: "Login Profile for User frank cannot be found." });
    await iam.send(new DeleteUserCommand({ UserName: "frank" }));
    const record = await latestRecord(server.url, "DeleteLoginProfile");
    expect(record).toMatchObject({ requestParameters: { userName: "frank" }, responseElements: null });
  });

  it("answers an unknown user with NoSuchEntity", async () => {
    const err = await failure(iam.send(new CreateLoginProfileCommand({ UserName: "nobody", Password: "x1234567!" })));
    expect(err).toEqual({ name: "NoSuchEntityException", status: 404, message: "The user with name nobody cannot be found." });
  });
});

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
  UpdateAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  DeleteAccountPasswordPolicyCommand,
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

  it("keeps an account password policy and holds new passwords to it", async () => {
    expect(await failure(iam.send(new GetAccountPasswordPolicyCommand({})))).toEqual({ name: "NoSuchEntityException", status: 404, message: "The Password Policy with domain name 000000000000 cannot be found." });
    // CIS 1.8-1.9: length 14, every character class, no reuse of the last 24.
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24, MaxPasswordAge: 90 }));
    expect((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    });
    await iam.send(new CreateUserCommand({ UserName: "policy-bound" }));
    expect(await failure(iam.send(new CreateLoginProfileCommand({ UserName: "policy-bound", Password: "Short1!" })))).toEqual({
      name: "PasswordPolicyViolationException",
      status: 400,
      message: "Password should have a minimum length of 14",
    });
    expect((await failure(iam.send(new CreateLoginProfileCommand({ UserName: "policy-bound", Password: "longenoughbutnoclasses" })))).message).toBe("Password should have at least one uppercase letter");
    await iam.send(new CreateLoginProfileCommand({ UserName: "policy-bound", Password: "Long-Enough-Passw0rd!" }));
    expect((await failure(iam.send(new UpdateLoginProfileCommand({ UserName: "policy-bound", Password: "NoSymbolsHere12345" })))).message).toBe("Password should have at least one symbol");
    const refused = await latestRecord(server.url, "UpdateLoginProfile");
    expect(refused).toMatchObject({ errorCode: "PasswordPolicyViolationException" });
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect((await failure(iam.send(new GetAccountPasswordPolicyCommand({})))).name).toBe("NoSuchEntityException");
  });
});

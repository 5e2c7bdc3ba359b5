import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { aws, awsJson } from "../helpers/cli.js";
import { latestRecord } from "../helpers/records.js";

/**
 * The story of issue 13: John may create users but not grant AdministratorAccess. His AttachUserPolicy is
 * answered AccessDenied, as IAM answers it, and the owner finds the refusal in the history.
 */
describe("john may create users but not grant AdministratorAccess", () => {
  let server: TestServer;
  let john: { accessKeyId: string; secretAccessKey: string };
  const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

  beforeAll(async () => {
    server = await startTestServer({ flags: ["--enforce-iam"] });
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "John" }));
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "UserAdminWithoutAdmin",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "ManageUsers", Effect: "Allow", Action: ["iam:CreateUser", "iam:GetUser", "iam:AttachUserPolicy"], Resource: "*" },
            { Sid: "NeverAdmin", Effect: "Deny", Action: "iam:AttachUserPolicy", Resource: "*", Condition: { ArnEquals: { "iam:PolicyARN": ADMIN } } },
          ],
        }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: "John", PolicyArn: policy.Policy!.Arn! }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "John" }));
    john = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  });
  afterAll(() => server.close());

  it("lets John create Mary", async () => {
    const created = await awsJson<{ User: { Arn: string } }>(server.url, ["iam", "create-user", "--user-name", "Mary"], john);
    expect(created.User.Arn).toBe("arn:aws:iam::000000000000:user/Mary");
  });

  it("denies John's AttachUserPolicy of AdministratorAccess with IAM's AccessDenied, and records it", async () => {
    const result = await aws(server.url, ["iam", "attach-user-policy", "--user-name", "Mary", "--policy-arn", ADMIN], john);
    expect(result.code).not.toBe(0);
    const message =
      "User: arn:aws:iam::000000000000:user/John is not authorized to perform: iam:AttachUserPolicy on resource: arn:aws:iam::000000000000:user/Mary " +
      "with an explicit deny in an identity-based policy: arn:aws:iam::000000000000:policy/UserAdminWithoutAdmin";
    expect(result.stderr).toContain(`An error occurred (AccessDenied) when calling the AttachUserPolicy operation: ${message}`);

    const record = await latestRecord(server.url, "AttachUserPolicy");
    expect(record).toMatchObject({
      userIdentity: { type: "IAMUser", userName: "John", accessKeyId: john.accessKeyId },
      errorCode: "AccessDenied",
      errorMessage: message,
      requestParameters: { userName: "Mary", policyArn: ADMIN },
      responseElements: null,
      readOnly: false,
    });
    // The CIS metric filter for unauthorized calls catches it.
    expect(/UnauthorizedOperation$|^AccessDenied/.test(record.errorCode!)).toBe(true);
  });

  it("still lets John attach other policies, and denies what no policy allows", async () => {
    const iam = new IAMClient(clientConfig(server.url, john));
    await iam.send(new AttachUserPolicyCommand({ UserName: "Mary", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    const denied = await failure(iam.send(new CreateAccessKeyCommand({ UserName: "Mary" })));
    expect(denied).toEqual({
      name: "AccessDenied",
      status: 403,
      message: "User: arn:aws:iam::000000000000:user/John is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::000000000000:user/Mary because no identity-based policy allows the iam:CreateAccessKey action",
    });
  });
});

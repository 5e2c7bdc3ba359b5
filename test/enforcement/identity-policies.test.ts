import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddUserToGroupCommand, CreateGroupCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand,
  PutGroupPolicyCommand, TagRoleCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus, failure, ROOT } from "../helpers/clients.js";
import { policy, userWith } from "./principals.js";

/** Identity-based policies, boundaries and condition keys, decided on real SDK calls over a real port. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ flags: ["--enforce-iam"] });
  await new S3Client(clientConfig(server.url)).send(new CreateBucketCommand({ Bucket: "shared" }));
});
afterAll(() => server.close());

const iam = (credentials = ROOT) => new IAMClient(clientConfig(server.url, credentials));
const s3 = (credentials = ROOT, region = "us-east-1") => new S3Client(clientConfig(server.url, credentials, region));
const DENIED = { name: "AccessDenied", status: 403 };

describe("identity-based policies", () => {
  it("the root user may do anything in its account; a user with no policy nothing", async () => {
    await iam().send(new ListUsersCommand({}));
    const nobody = await userWith(server.url, "nobody");
    expect(await codeAndStatus(iam(nobody).send(new ListUsersCommand({})))).toEqual(DENIED);
    // GetCallerIdentity needs no permission, even under an explicit deny.
    const denyAll = await userWith(server.url, "deny-all", { inline: [[{ Effect: "Deny", Action: "*", Resource: "*" }]] });
    expect((await new STSClient(clientConfig(server.url, denyAll)).send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:user/deny-all");
  });

  it("grants through inline, managed (AWS and customer) and group policies", async () => {
    const reader = await userWith(server.url, "reader", { managed: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
    await iam(reader).send(new ListUsersCommand({}));
    expect(await codeAndStatus(iam(reader).send(new CreateUserCommand({ UserName: "x" })))).toEqual(DENIED);

    const { Policy } = await iam().send(new CreatePolicyCommand({ PolicyName: "MakeUsers", PolicyDocument: policy({ Effect: "Allow", Action: "iam:CreateUser", Resource: "*" }) }));
    const maker = await userWith(server.url, "maker", { managed: [Policy!.Arn!] });
    await iam(maker).send(new CreateUserCommand({ UserName: "made-by-maker" }));

    await iam().send(new CreateGroupCommand({ GroupName: "listers" }));
    await iam().send(new PutGroupPolicyCommand({ GroupName: "listers", PolicyName: "list", PolicyDocument: policy({ Effect: "Allow", Action: "iam:List*", Resource: "*" }) }));
    const member = await userWith(server.url, "member");
    expect(await codeAndStatus(iam(member).send(new ListUsersCommand({})))).toEqual(DENIED);
    await iam().send(new AddUserToGroupCommand({ GroupName: "listers", UserName: "member" }));
    await iam(member).send(new ListUsersCommand({}));
  });

  it("NotAction, NotResource and an explicit Deny", async () => {
    const notIam = await userWith(server.url, "not-iam", { inline: [[{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]] });
    await s3(notIam).send(new PutObjectCommand({ Bucket: "shared", Key: "a", Body: "x" }));
    expect(await codeAndStatus(iam(notIam).send(new ListUsersCommand({})))).toEqual(DENIED);

    const onlyPublic = await userWith(server.url, "only-public", {
      inline: [[{ Effect: "Allow", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Action: "s3:PutObject", NotResource: "arn:aws:s3:::shared/public/*" }]],
    });
    await s3(onlyPublic).send(new PutObjectCommand({ Bucket: "shared", Key: "public/ok", Body: "x" }));
    const denied = await failure(s3(onlyPublic).send(new PutObjectCommand({ Bucket: "shared", Key: "private/no", Body: "x" })));
    expect(denied).toEqual({
      ...DENIED,
      message: 'User: arn:aws:iam::000000000000:user/only-public is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::shared/private/no" with an explicit deny in an identity-based policy',
    });
  });

  it("a permissions boundary limits what the policies grant", async () => {
    const { Policy } = await iam().send(new CreatePolicyCommand({ PolicyName: "S3Only", PolicyDocument: policy({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }));
    const bounded = await userWith(server.url, "bounded", { managed: ["arn:aws:iam::aws:policy/AdministratorAccess"], boundary: Policy!.Arn! });
    await s3(bounded).send(new PutObjectCommand({ Bucket: "shared", Key: "b", Body: "x" }));
    const denied = await failure(iam(bounded).send(new ListUsersCommand({})));
    expect(denied.message).toBe("User: arn:aws:iam::000000000000:user/bounded is not authorized to perform: iam:ListUsers because no permissions boundary allows the iam:ListUsers action");
  });
});

describe("condition keys and policy variables", () => {
  it("aws:username in a resource, s3:prefix on a listing", async () => {
    const home = await userWith(server.url, "carol", {
      inline: [[
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::shared/home/${aws:username}/*" },
        { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::shared", Condition: { StringLike: { "s3:prefix": "home/${aws:username}/*" } } },
      ]],
    });
    await s3(home).send(new PutObjectCommand({ Bucket: "shared", Key: "home/carol/notes", Body: "x" }));
    expect(await codeAndStatus(s3(home).send(new PutObjectCommand({ Bucket: "shared", Key: "home/dave/notes", Body: "x" })))).toEqual(DENIED);
    await s3(home).send(new ListObjectsV2Command({ Bucket: "shared", Prefix: "home/carol/" }));
    expect(await codeAndStatus(s3(home).send(new ListObjectsV2Command({ Bucket: "shared", Prefix: "home/" })))).toEqual(DENIED);
  });

  it("s3:x-amz-acl, aws:SourceIp, aws:SecureTransport, aws:RequestedRegion", async () => {
    const u = await userWith(server.url, "conditional", {
      inline: [[
        // An ACL header also needs s3:PutObjectAcl (S3 API Reference, PutObject).
        { Effect: "Allow", Action: ["s3:PutObject", "s3:PutObjectAcl"], Resource: "*", Condition: { StringEqualsIfExists: { "s3:x-amz-acl": "private" }, IpAddress: { "aws:SourceIp": "127.0.0.0/8" } } },
        { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } },
      ]],
    });
    await s3(u).send(new PutObjectCommand({ Bucket: "shared", Key: "c1", Body: "x" }));
    await s3(u).send(new PutObjectCommand({ Bucket: "shared", Key: "c2", Body: "x", ACL: "private" }));
    expect(await codeAndStatus(s3(u).send(new PutObjectCommand({ Bucket: "shared", Key: "c3", Body: "x", ACL: "public-read" })))).toEqual(DENIED);
    await s3(u, "eu-west-1").send(new ListBucketsCommand({}));
    expect(await codeAndStatus(s3(u, "us-east-1").send(new ListBucketsCommand({})))).toEqual(DENIED);

    const elsewhere = await userWith(server.url, "elsewhere", { inline: [[{ Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "127.0.0.0/8" } } }]] });
    expect(await codeAndStatus(s3(elsewhere).send(new PutObjectCommand({ Bucket: "shared", Key: "d", Body: "x" })))).toEqual(DENIED);
    const tlsOnly = await userWith(server.url, "tls-only", {
      inline: [[{ Effect: "Allow", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }]],
    });
    expect(await codeAndStatus(s3(tlsOnly).send(new PutObjectCommand({ Bucket: "shared", Key: "e", Body: "x" })))).toEqual(DENIED);
  });

  it("aws:RequestTag, aws:TagKeys, aws:PrincipalTag and aws:ResourceTag", async () => {
    const tagger = await userWith(server.url, "tagger", {
      tags: [{ Key: "team", Value: "red" }],
      inline: [[
        { Effect: "Allow", Action: ["iam:CreateUser", "iam:TagUser"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/team": "${aws:PrincipalTag/team}" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } } },
        { Effect: "Allow", Action: "iam:TagRole", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } } },
      ]],
    });
    await iam(tagger).send(new CreateUserCommand({ UserName: "red-one", Tags: [{ Key: "team", Value: "red" }] }));
    expect(await codeAndStatus(iam(tagger).send(new CreateUserCommand({ UserName: "blue-one", Tags: [{ Key: "team", Value: "blue" }] })))).toEqual(DENIED);
    expect(await codeAndStatus(iam(tagger).send(new CreateUserCommand({ UserName: "extra", Tags: [{ Key: "team", Value: "red" }, { Key: "cost", Value: "1" }] })))).toEqual(DENIED);
    // No tags: StringEquals on an absent aws:RequestTag fails.
    expect(await codeAndStatus(iam(tagger).send(new CreateUserCommand({ UserName: "untagged" })))).toEqual(DENIED);

    const trust = policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
    await iam().send(new CreateRoleCommand({ RoleName: "red-role", AssumeRolePolicyDocument: trust, Tags: [{ Key: "team", Value: "red" }] }));
    await iam().send(new CreateRoleCommand({ RoleName: "blue-role", AssumeRolePolicyDocument: trust, Tags: [{ Key: "team", Value: "blue" }] }));
    await iam(tagger).send(new TagRoleCommand({ RoleName: "red-role", Tags: [{ Key: "x", Value: "1" }] }));
    expect(await codeAndStatus(iam(tagger).send(new TagRoleCommand({ RoleName: "blue-role", Tags: [{ Key: "x", Value: "1" }] })))).toEqual(DENIED);
  });

  it("aws:CurrentTime follows the emulated clock; aws:PrincipalArn, aws:PrincipalAccount, aws:userid", async () => {
    const until2030 = await userWith(server.url, "until-2030", {
      inline: [[{ Effect: "Allow", Action: "iam:GetUser", Resource: "*", Condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" }, StringEquals: { "aws:PrincipalAccount": "000000000000" }, ArnLike: { "aws:PrincipalArn": "arn:aws:iam::000000000000:user/until-*" }, StringLike: { "aws:userid": "AIDA*" } } }]],
    });
    await iam(until2030).send(new GetUserCommand({}));
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ set: "2030-06-01T00:00:00Z" }) });
    expect(await codeAndStatus(iam(until2030).send(new GetUserCommand({})))).toEqual(DENIED);
  });

  it("aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials", async () => {
    const u = await userWith(server.url, "mfa-user", {
      inline: [[{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" }, Null: { "aws:TokenIssueTime": "false" } } }]],
    });
    // Long-term keys carry no aws:TokenIssueTime: Null "false" fails.
    expect(await codeAndStatus(s3(u).send(new ListBucketsCommand({})))).toEqual(DENIED);
    const { Credentials } = await new STSClient(clientConfig(server.url, u)).send(new GetSessionTokenCommand({}));
    const temporary = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    await s3(temporary).send(new ListBucketsCommand({}));
  });

  it("refuses GetSessionToken's credentials made without MFA every IAM call, as AWS does (InvalidClientTokenId)", async () => {
    const u = await userWith(server.url, "no-mfa-user", { inline: [[{ Effect: "Allow", Action: "*", Resource: "*" }]] });
    const { Credentials } = await new STSClient(clientConfig(server.url, u)).send(new GetSessionTokenCommand({}));
    const temporary = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    expect(await failure(iam(temporary).send(new GetUserCommand({})))).toEqual({ name: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid." });
    // Other services take them.
    expect((await new STSClient(clientConfig(server.url, temporary)).send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:user/no-mfa-user");
    await s3(temporary).send(new ListBucketsCommand({}));
  });
});

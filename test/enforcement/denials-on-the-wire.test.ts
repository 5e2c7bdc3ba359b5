import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DecodeAuthorizationMessageCommand, STSClient } from "@aws-sdk/client-sts";
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure, ROOT } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { aws } from "../helpers/cli.js";
import { startProcess } from "../helpers/process.js";
import { policy, userWith } from "./principals.js";

/** Each service's AccessDenied as AWS sends it (reference/iam-enforcement.md §4) and records it (§5). */
let server: TestServer;
let nobody: typeof ROOT;
const USER = "arn:aws:iam::000000000000:user/nobody";
beforeAll(async () => {
  server = await startTestServer({ flags: ["--enforce-iam"] });
  nobody = await userWith(server.url, "nobody", { inline: [[{ Effect: "Allow", Action: "sts:DecodeAuthorizationMessage", Resource: "*" }]] });
});
afterAll(() => server.close());

describe("denials per protocol", () => {
  it("EC2: UnauthorizedOperation with an encoded message that STS decodes; none on Describe calls", async () => {
    const ec2 = new EC2Client(clientConfig(server.url, nobody));
    const denied = await failure(ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" })));
    expect(denied.name).toBe("UnauthorizedOperation");
    expect(denied.status).toBe(403);
    const prefix = `You are not authorized to perform this operation. User: ${USER} is not authorized to perform: ec2:CreateVpc on resource: arn:aws:ec2:us-east-1:000000000000:vpc/* because no identity-based policy allows the ec2:CreateVpc action. Encoded authorization failure message: `;
    expect(denied.message.startsWith(prefix)).toBe(true);
    const encoded = denied.message.slice(denied.message.indexOf("Encoded authorization failure message: ") + "Encoded authorization failure message: ".length);
    const { DecodedMessage } = await new STSClient(clientConfig(server.url, nobody)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    expect(JSON.parse(DecodedMessage!)).toMatchObject({ allowed: false, explicitDeny: false, context: { principal: { arn: USER, name: "nobody" }, action: "ec2:CreateVpc", resource: "arn:aws:ec2:us-east-1:000000000000:vpc/*" } });
    expect((await failure(new STSClient(clientConfig(server.url, nobody)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "garbage" })))).name).toBe("InvalidAuthorizationMessageException");

    const describe = await failure(ec2.send(new DescribeVpcsCommand({})));
    expect(describe.message).toBe(`You are not authorized to perform this operation. User: ${USER} is not authorized to perform: ec2:DescribeVpcs because no identity-based policy allows the ec2:DescribeVpcs action`);
    const record = await latestRecord(server.url, "DescribeVpcs");
    expect(record).toMatchObject({ errorCode: "Client.UnauthorizedOperation", errorMessage: describe.message, responseElements: null });
  });

  it("EC2 DryRun is authorized like the call: denied answers UnauthorizedOperation", async () => {
    const result = await aws(server.url, ["ec2", "create-vpc", "--cidr-block", "10.1.0.0/16", "--dry-run"], nobody);
    expect(result.stderr).toContain("An error occurred (UnauthorizedOperation) when calling the CreateVpc operation: You are not authorized to perform this operation.");
  });

  it("Lambda: 403 AccessDeniedException naming resource *, recorded as AccessDenied", async () => {
    const denied = await failure(new LambdaClient(clientConfig(server.url, nobody)).send(new ListFunctionsCommand({})));
    expect(denied).toEqual({ name: "AccessDeniedException", status: 403, message: `User: ${USER} is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action` });
    const [record] = await lookupRecords(server.url, "EventSource", "lambda.amazonaws.com");
    expect(record).toMatchObject({ eventName: "ListFunctions20150331", errorCode: "AccessDenied", errorMessage: denied.message, requestParameters: null });
    // Lambda leaves a refused call's parameters out of its record.
    const named = await failure(new LambdaClient(clientConfig(server.url, nobody)).send(new GetFunctionCommand({ FunctionName: "reports" })));
    expect(named.message).toBe(`User: ${USER} is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:reports because no identity-based policy allows the lambda:GetFunction action`);
    const [getRecord] = await lookupRecords(server.url, "EventSource", "lambda.amazonaws.com");
    expect(getRecord).toMatchObject({ errorCode: "AccessDenied", requestParameters: null });
  });

  it("CloudWatch Logs: 400 AccessDeniedException naming the group as AWS does", async () => {
    const denied = await failure(new CloudWatchLogsClient(clientConfig(server.url, nobody)).send(new CreateLogGroupCommand({ logGroupName: "app" })));
    expect(denied).toEqual({
      name: "AccessDeniedException",
      status: 400,
      message: `User: ${USER} is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:000000000000:log-group:app:log-stream: because no identity-based policy allows the logs:CreateLogGroup action`,
    });
  });

  it("CloudTrail: LookupEvents denied without a resource", async () => {
    const denied = await failure(new CloudTrailClient(clientConfig(server.url, nobody)).send(new LookupEventsCommand({})));
    expect(denied).toMatchObject({ name: "AccessDeniedException", message: `User: ${USER} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action` });
  });

  it("S3: a denied HEAD is a 403 with no body; a denied data event is recorded with its resources", async () => {
    const s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "wire" }));
    await s3.send(new PutObjectCommand({ Bucket: "wire", Key: "k", Body: "x" }));
    const head = await failure(new S3Client(clientConfig(server.url, nobody)).send(new HeadObjectCommand({ Bucket: "wire", Key: "k" })));
    expect(head.status).toBe(403);
    await s3.send(new PutBucketPolicyCommand({ Bucket: "wire", Policy: policy({ Effect: "Allow", Principal: { AWS: USER }, Action: "s3:GetObject", Resource: "arn:aws:s3:::wire/*" }) }));
    // A bucket policy naming the user grants without any identity policy.
    await new S3Client(clientConfig(server.url, nobody)).send(new HeadObjectCommand({ Bucket: "wire", Key: "k" }));
  });
});

describe("the localtrail command with --enforce-iam --debug", () => {
  it("says which mode is on before the ready lines, and logs why each call was allowed or denied", async () => {
    const proc = await startProcess(["--ephemeral", "--port", "0", "--enforce-iam", "--debug"]);
    try {
      expect(proc.output()).toMatch(/^localtrail: IAM policy enforcement on\nlocaltrail ready on http:\/\/127\.0\.0\.1:\d+\nReady\.\n/m);
      const user = await userWith(proc.url, "debugged", { inline: [[{ Sid: "NoLambda", Effect: "Deny", Action: "lambda:*", Resource: "*" }]] });
      await failure(new LambdaClient(clientConfig(proc.url, user)).send(new ListFunctionsCommand({})));
      await failure(new CloudTrailClient(clientConfig(proc.url, user)).send(new LookupEventsCommand({})));
      const output = proc.output();
      expect(output).toContain("localtrail: iam allowed iam:CreateUser by arn:aws:iam::000000000000:root\n  iam:CreateUser on arn:aws:iam::000000000000:user/debugged: allow: the account's root user");
      expect(output).toContain(
        "localtrail: iam DENIED lambda:ListFunctions by arn:aws:iam::000000000000:user/debugged\n  lambda:ListFunctions on *: explicit deny: explicit deny in inline policy p0 of user debugged, statement 0 (Sid NoLambda)",
      );
      expect(output).toContain("lambda:ListFunctions on *: explicit deny");
      expect(output).toContain("cloudtrail:LookupEvents on *: implicit deny: no identity-based policy allows it");
    } finally {
      proc.proc.kill("SIGTERM");
      await proc.exited;
    }
    const soft = await startProcess(["--ephemeral", "--port", "0"], { LOCALTRAIL_ENFORCE_IAM: "soft" });
    soft.proc.kill("SIGTERM");
    await soft.exited;
    expect(soft.output()).toMatch(/^localtrail: IAM policy enforcement soft \(denials recorded, calls allowed\)\nlocaltrail ready on /m);
  });
});

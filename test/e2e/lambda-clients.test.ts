import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { aws, awsJson, boto3 } from "../helpers/cli.js";
import { latestRecord } from "../helpers/records.js";
import { allRecords, createRole, handlers, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

describe("Lambda through the AWS CLI and boto3", () => {
  let server: TestServer;
  let role: string;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    role = await createRole(server.url, "cli-role");
    dir = mkdtempSync(join(tmpdir(), "localtrail-lambda-cli-"));
    writeFileSync(join(dir, "echo.zip"), zipOf({ "index.js": handlers.echo }));
    writeFileSync(join(dir, "throws.zip"), zipOf({ "index.js": handlers.throws }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the CLI deploys a zip, invokes it by ARN with the log tail, and reads it back", async () => {
    const created = await awsJson<{ FunctionArn: string; State: string }>(server.url, [
      "lambda", "create-function", "--function-name", "cli-echo", "--runtime", "nodejs20.x", "--role", role,
      "--handler", "index.handler", "--zip-file", `fileb://${join(dir, "echo.zip")}`, "--timeout", "300",
    ]);
    expect(created).toMatchObject({ FunctionArn: arnOf("cli-echo"), State: "Pending" });

    const outFile = join(dir, "out.json");
    const invoked = await awsJson<{ StatusCode: number; ExecutedVersion: string; LogResult: string }>(server.url, [
      "lambda", "invoke", "--function-name", arnOf("cli-echo"), "--payload", '{"from":"cli"}', "--log-type", "Tail", outFile,
    ]);
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(Buffer.from(invoked.LogResult, "base64").toString()).toContain("INFO\tgot {\"from\":\"cli\"}");
    expect(JSON.parse(readFileSync(outFile, "utf8"))).toMatchObject({ event: { from: "cli" }, functionName: "cli-echo" });

    const got = await awsJson<{ Configuration: { State: string; Timeout: number } }>(server.url, ["lambda", "get-function", "--function-name", "cli-echo"]);
    expect(got.Configuration).toMatchObject({ State: "Active", Timeout: 300 });
    const listed = await awsJson<{ Functions: { FunctionName: string }[] }>(server.url, ["lambda", "list-functions"]);
    expect(listed.Functions.map((f) => f.FunctionName)).toContain("cli-echo");

    const record = await latestRecord(server.url, "CreateFunction20150331");
    expect(record.userAgent).toMatch(/^aws-cli\/1\./);
    expect(record.requestParameters).toMatchObject({ functionName: "cli-echo", code: {} });
  });

  it("the CLI shows Lambda's errors as AWS sends them", async () => {
    const missing = await aws(server.url, ["lambda", "get-function", "--function-name", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found: ${arnOf("nope")}`);
    const duplicate = await aws(server.url, [
      "lambda", "create-function", "--function-name", "cli-echo", "--runtime", "nodejs20.x", "--role", role,
      "--handler", "index.handler", "--zip-file", `fileb://${join(dir, "echo.zip")}`,
    ]);
    expect(duplicate.stderr).toContain("An error occurred (ResourceConflictException) when calling the CreateFunction operation: Function already exist: cli-echo");
  });

  it("the CLI adds and reads a permission, then deletes the function", async () => {
    const added = await awsJson<{ Statement: string }>(server.url, [
      "lambda", "add-permission", "--function-name", "cli-echo", "--statement-id", "sns", "--action", "lambda:InvokeFunction", "--principal", "sns.amazonaws.com",
    ]);
    expect(JSON.parse(added.Statement)).toEqual({ Sid: "sns", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: arnOf("cli-echo") });
    const policy = await awsJson<{ Policy: string }>(server.url, ["lambda", "get-policy", "--function-name", "cli-echo"]);
    expect(JSON.parse(policy.Policy).Statement).toHaveLength(1);
    const deleted = await aws(server.url, ["lambda", "delete-function", "--function-name", "cli-echo"]);
    expect(deleted.code).toBe(0);
  });

  it("boto3 creates and invokes functions, reads FunctionError, 202 for events, and parses Lambda's errors", async () => {
    const out = await boto3<{ created: string; status: number; error: string; payload: { errorType: string }; event: number; code: string; message: string; body: string }>(
      server.url,
      `
lam = boto3.client("lambda")
created = lam.create_function(FunctionName="py-made", Runtime="nodejs20.x", Role=${JSON.stringify(role)}, Handler="index.handler", Timeout=300,
    Code={"ZipFile": open(${JSON.stringify(join(dir, "throws.zip"))}, "rb").read()})
failed = lam.invoke(FunctionName="py-made", Payload=b"{}")
event = lam.invoke(FunctionName="py-made", InvocationType="Event", Payload=b"{}")
try:
    lam.get_function_configuration(FunctionName="py-missing")
    code, message, body = None, None, None
except lam.exceptions.ResourceNotFoundException as e:
    code, message, body = e.response["Error"]["Code"], e.response["Error"]["Message"], e.response.get("Type")
print(json.dumps({"created": created["FunctionArn"], "status": failed["StatusCode"], "error": failed["FunctionError"],
    "payload": json.loads(failed["Payload"].read()), "event": event["StatusCode"], "code": code, "message": message, "body": body}))
`,
    );
    expect(out).toMatchObject({
      created: arnOf("py-made"),
      status: 200,
      error: "Unhandled",
      payload: { errorType: "TypeError" },
      event: 202,
      code: "ResourceNotFoundException",
      message: `Function not found: ${arnOf("py-missing")}`,
      body: "User",
    });
    expect(allRecords(server).filter((r) => r.eventName === "Invoke" && r.userAgent?.startsWith("Boto3/"))).toHaveLength(2);
  });
});

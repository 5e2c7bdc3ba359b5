import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { createRole, handlers, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const LAST_MODIFIED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

describe("Lambda functions through SDK v3: create, read, list, update, delete, with AWS's errors and records", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let role: string;
  const zip = zipOf({ "index.js": handlers.echo });
  const create = (input: Partial<CreateFunctionCommandInput> & { FunctionName: string }) =>
    lambda.send(new CreateFunctionCommand({ Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zip }, ...input }));

  beforeAll(async () => {
    server = await startTestServer();
    lambda = new LambdaClient(clientConfig(server.url));
    role = await createRole(server.url, "lambda-exec");
  });
  afterAll(() => server.close());

  it("creates a function from a zip and answers 201 with the configuration AWS returns", async () => {
    const out = await create({ FunctionName: "echo", Environment: { Variables: { GREETING: "hi" } }, Tags: { team: "a" } });
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({
      FunctionName: "echo",
      FunctionArn: arnOf("echo"),
      Runtime: "nodejs20.x",
      Role: role,
      Handler: "index.handler",
      CodeSize: zip.length,
      CodeSha256: createHash("sha256").update(zip).digest("base64"),
      Description: "",
      Timeout: 3,
      MemorySize: 128,
      Version: "$LATEST",
      Environment: { Variables: { GREETING: "hi" } },
      TracingConfig: { Mode: "PassThrough" },
      State: "Pending",
      StateReason: "The function is being created.",
      StateReasonCode: "Creating",
      PackageType: "Zip",
      Architectures: ["x86_64"],
      EphemeralStorage: { Size: 512 },
      LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/echo" },
    });
    expect(out.LastModified).toMatch(LAST_MODIFIED);
    expect(out.RevisionId).toMatch(/^[0-9a-f-]{36}$/);

    const record = await latestRecord(server.url, "CreateFunction20150331");
    expect(record).toMatchObject({ eventSource: "lambda.amazonaws.com", readOnly: false, managementEvent: true, eventCategory: "Management", requestID: out.$metadata.requestId });
    // Neither the zip nor the environment is recorded, and the response's environment loses its variables
    // (Lambda Developer Guide, "Logging Lambda API calls with CloudTrail"; API reference, EnvironmentResponse).
    expect(record.requestParameters).toEqual({
      functionName: "echo",
      runtime: "nodejs20.x",
      role,
      handler: "index.handler",
      code: {},
      tags: { team: "a" },
    });
    expect(record.responseElements).toMatchObject({ functionName: "echo", functionArn: arnOf("echo"), codeSha256: out.CodeSha256, version: "$LATEST", state: "Pending", environment: {} });
    expect(JSON.stringify(record)).not.toContain("GREETING");
  });

  it("reads the function back, Active, with its tags, by name, by ARN and by partial ARN", async () => {
    const byName = await lambda.send(new GetFunctionCommand({ FunctionName: "echo" }));
    expect(byName.Configuration).toMatchObject({ FunctionName: "echo", State: "Active", LastUpdateStatus: "Successful" });
    expect(byName.Code?.RepositoryType).toBe("S3");
    expect(byName.Tags).toEqual({ team: "a" });
    const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arnOf("echo") }));
    expect(byArn.FunctionArn).toBe(arnOf("echo"));
    const byPartial = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ACCOUNT}:function:echo` }));
    expect(byPartial.RevisionId).toBe(byArn.RevisionId);
    const record = await latestRecord(server.url, "GetFunctionConfiguration20150331v2");
    expect(record).toMatchObject({ readOnly: true, requestParameters: { functionName: `${ACCOUNT}:function:echo` }, responseElements: null });
  });

  it("answers ResourceNotFoundException 404 for a function that does not exist, and records it", async () => {
    const error = await lambda.send(new GetFunctionCommand({ FunctionName: "nope" })).catch((e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: "ResourceNotFoundException", message: `Function not found: ${arnOf("nope")}`, $metadata: { httpStatusCode: 404 } });
    const record = await latestRecord(server.url, "GetFunction20150331v2");
    expect(record).toMatchObject({ errorCode: "ResourceNotFoundException", errorMessage: `Function not found: ${arnOf("nope")}` });
  });

  it("refuses another account's function with AccessDeniedException, recorded as AWS records a refusal", async () => {
    const foreign = "arn:aws:lambda:us-east-1:111122223333:function:theirs";
    const error = await lambda.send(new GetFunctionCommand({ FunctionName: foreign })).then(
      () => Promise.reject(new Error("GetFunction of another account's function succeeded")),
      (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } },
    );
    expect(error).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    expect(error.message).toBe(`User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: lambda:GetFunction on resource: ${foreign}`);
    // Lambda Developer Guide, "Lambda event examples": errorCode AccessDenied, and no requestParameters.
    const record = await latestRecord(server.url, "GetFunction20150331v2");
    expect(record).toMatchObject({ errorCode: "AccessDenied", errorMessage: error.message, requestParameters: null, responseElements: null });
  });

  it("refuses a second function of the same name, a role Lambda cannot assume, a blocked runtime, reserved variables and a broken zip", async () => {
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => ({ name: e.name, message: e.message, status: e.$metadata.httpStatusCode }));
    expect(await failure(create({ FunctionName: "echo" }))).toEqual({ name: "ResourceConflictException", message: "Function already exist: echo", status: 409 });
    const untrusted = await createRole(server.url, "ec2-only", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }));
    const cannotAssume = { name: "InvalidParameterValueException", message: "The role defined for the function cannot be assumed by Lambda.", status: 400 };
    expect(await failure(create({ FunctionName: "f1", Role: untrusted }))).toEqual(cannotAssume);
    expect(await failure(create({ FunctionName: "f1", Role: `arn:aws:iam::${ACCOUNT}:role/missing` }))).toEqual(cannotAssume);
    expect(await failure(create({ FunctionName: "f1", Runtime: "nodejs12.x" }))).toMatchObject({ name: "InvalidParameterValueException", message: expect.stringContaining("The runtime parameter of nodejs12.x is no longer supported") });
    expect(await failure(create({ FunctionName: "f1", Environment: { Variables: { AWS_REGION: "x" } } }))).toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("Reserved keys used in this request: AWS_REGION"),
    });
    expect(await failure(create({ FunctionName: "f1", Code: { ZipFile: Buffer.from("not a zip") } }))).toEqual({
      name: "InvalidParameterValueException",
      message: "Could not unzip uploaded file. Please check your file, then try to upload again.",
      status: 400,
    });
    expect(await failure(create({ FunctionName: "f1", Handler: undefined }))).toMatchObject({ message: "Runtime and Handler are mandatory parameters for functions created with deployment packages." });
    expect(await failure(create({ FunctionName: "f1", Timeout: 901 }))).toMatchObject({ name: "ValidationException", status: 400, message: expect.stringContaining("Member must have value less than or equal to 900") });
    expect(await failure(lambda.send(new GetFunctionCommand({ FunctionName: "arn:aws:lambda:eu-west-1:000000000000:function:echo" })))).toMatchObject({ name: "InvalidParameterValueException" });
  });

  it("refuses a zip whose entries would be written outside its directory", async () => {
    const evil = zipOf({ "../../escape.js": "exports.handler = async () => 1;", "index.js": handlers.echo });
    const error = await create({ FunctionName: "zipslip", Code: { ZipFile: evil } }).catch((e: { name: string }) => e);
    expect(error).toMatchObject({ name: "InvalidParameterValueException" });
  });

  it("takes the code from an object of the emulated S3, and answers S3's error when there is none", async () => {
    const s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "code-bucket" }));
    const code = zipOf({ "index.js": handlers.counter });
    await s3.send(new PutObjectCommand({ Bucket: "code-bucket", Key: "builds/counter.zip", Body: code }));
    // Invoked below: a generous timeout, since a busy machine starts a worker slowly.
    const out = await create({ FunctionName: "from-s3", Code: { S3Bucket: "code-bucket", S3Key: "builds/counter.zip" }, Timeout: 300 });
    expect(out).toMatchObject({ CodeSize: code.length, CodeSha256: createHash("sha256").update(code).digest("base64") });
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: "from-s3" }));
    expect(JSON.parse(Buffer.from(invoked.Payload!).toString())).toMatchObject({ count: 1 });
    const record = await latestRecord(server.url, "CreateFunction20150331");
    expect(record.requestParameters).toMatchObject({ code: { s3Bucket: "code-bucket", s3Key: "builds/counter.zip" } });

    const missing = await create({ FunctionName: "from-s3-missing", Code: { S3Bucket: "code-bucket", S3Key: "nope.zip" } }).catch((e: { name: string; message: string }) => e);
    expect(missing).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
    });
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "from-s3", S3Bucket: "code-bucket", S3Key: "builds/counter.zip", Publish: true }));
    expect(updated).toMatchObject({ Version: "1", CodeSha256: out.CodeSha256 });
    await lambda.send(new DeleteFunctionCommand({ FunctionName: "from-s3" }));
  });

  it("lists functions a page at a time with Marker and MaxItems", async () => {
    for (const name of ["list-a", "list-b", "list-c"]) await create({ FunctionName: name });
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions?.map((f) => f.FunctionName)).toEqual(["echo", "list-a"]);
    expect(first.NextMarker).toBeTruthy();
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    expect(second.Functions?.map((f) => f.FunctionName)).toEqual(["list-b", "list-c"]);
    expect(second.NextMarker).toBeUndefined();
    expect(second.Functions?.[0]?.FunctionArn).toBe(arnOf("list-b"));
    expect((await latestRecord(server.url, "ListFunctions20150331")).requestParameters).toEqual({ maxItems: 2, marker: first.NextMarker });
  });

  it("updates code and configuration: new CodeSha256, LastModified and RevisionId, InProgress in the answer", async () => {
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "list-a" }));
    const code = zipOf({ "index.js": handlers.counter });
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "list-a", ZipFile: code, RevisionId: before.RevisionId }));
    expect(updated).toMatchObject({ CodeSha256: createHash("sha256").update(code).digest("base64"), CodeSize: code.length, LastUpdateStatus: "InProgress" });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    const stale = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "list-a", Timeout: 10, RevisionId: before.RevisionId })).catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
    expect(stale).toMatchObject({ name: "PreconditionFailedException", $metadata: { httpStatusCode: 412 } });
    const configured = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "list-a", Timeout: 10, MemorySize: 256, Description: "counts", Environment: { Variables: { A: "1" } } }));
    expect(configured).toMatchObject({ Timeout: 10, MemorySize: 256, Description: "counts", Environment: { Variables: { A: "1" } }, LastUpdateStatus: "InProgress" });
    const codeRecord = await latestRecord(server.url, "UpdateFunctionCode20150331v2");
    expect(codeRecord.requestParameters).toEqual({ functionName: "list-a", revisionId: before.RevisionId });
    expect(codeRecord.responseElements).toMatchObject({ functionName: "list-a", codeSha256: updated.CodeSha256 });
    expect((await latestRecord(server.url, "UpdateFunctionConfiguration20150331v2")).requestParameters).toMatchObject({ functionName: "list-a", timeout: 10, memorySize: 256 });
  });

  it("deletes a function (204), after which it is gone; the record's responseElements is null", async () => {
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: "list-c" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: "list-c" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    const record = await latestRecord(server.url, "DeleteFunction20150331");
    expect(record).toMatchObject({ requestParameters: { functionName: "list-c" }, responseElements: null });
    const byFunction = await lookupRecords(server.url, "ResourceName", "list-c");
    expect(byFunction.map((r) => r.eventName)).toEqual(["GetFunction20150331v2", "DeleteFunction20150331", "CreateFunction20150331"]);
  });

  it("reports the account's quotas and usage", async () => {
    const out = await lambda.send(new GetAccountSettingsCommand({}));
    expect(out.AccountLimit).toMatchObject({ CodeSizeZipped: 52428800, CodeSizeUnzipped: 262144000, ConcurrentExecutions: 1000 });
    expect(out.AccountUsage?.FunctionCount).toBe(3);
  });
});

import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand, type CreateFunctionCommandInput } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { allRecords, createRole, handlers, lastRecord, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
/** The Timeout of functions whose tests are not about timeouts: a busy machine starts and runs them slowly. */
const GENEROUS = 300;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("utf8");
const json = (bytes: Uint8Array | undefined) => JSON.parse(text(bytes)) as Record<string, unknown>;
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("Invoke runs the function's real code in its own process", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let role: string;
  const deploy = (name: string, files: Record<string, string>, input: Partial<CreateFunctionCommandInput> = {}) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf(files) }, Timeout: GENEROUS, ...input }));

  beforeAll(async () => {
    server = await startTestServer();
    lambda = new LambdaClient(clientConfig(server.url));
    role = await createRole(server.url, "exec-role");
    await deploy("echo", { "index.js": handlers.echo }, { Environment: { Variables: { GREETING: "hello" } } });
    await deploy("counter", { "index.js": handlers.counter });
    await deploy("slow-pid", { "index.js": handlers.slowPid });
    await deploy("throws", { "index.js": handlers.throws });
    await deploy("crashes", { "index.js": handlers.crashes });
    await deploy("sleeps", { "index.js": handlers.sleeps }, { Timeout: 1 });
    await deploy("hog", { "index.js": handlers.hog }, { Timeout: GENEROUS, MemorySize: 128 });
    await deploy("big", { "index.js": handlers.big }, { Timeout: GENEROUS });
    await deploy("calls-aws", { "index.js": handlers.callsAws }, { Timeout: GENEROUS });
    await deploy("esm", { "index.mjs": handlers.esm }, { Timeout: GENEROUS });
  });
  afterAll(() => server.close());

  it("returns the handler's result with the runtime's context and Lambda's environment variables", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { app: "tests" } })).toString("base64");
    const out = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from(JSON.stringify({ hello: "world" })), ClientContext: clientContext }));
    expect(out).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
    expect(out.FunctionError).toBeUndefined();
    const result = json(out.Payload) as { env: Record<string, unknown>; remaining: number; requestId: string };
    expect(result).toMatchObject({ event: { hello: "world" }, functionName: "echo", arn: arnOf("echo"), memory: "128", requestId: out.$metadata.requestId, clientContext: { custom: { app: "tests" } } });
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.env).toMatchObject({ region: "us-east-1", name: "echo", version: "$LATEST", memory: "128", greeting: "hello", endpoint: server.url, token: true });
    expect(result.env.key).toMatch(/^ASIA[A-Z0-9]{16}$/);
    // The code is unpacked under a generated id, never under the function's name.
    expect(result.env.taskRoot).not.toContain("echo");
  });

  it("returns the last 4 KB of the log with Lambda's START, END and REPORT lines when asked for the Tail", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from("{}"), LogType: "Tail" }));
    const log = Buffer.from(out.LogResult!, "base64").toString("utf8");
    const id = out.$metadata.requestId!;
    expect(log).toContain(`START RequestId: ${id} Version: $LATEST\n`);
    expect(log).toMatch(new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\tgot {}\\n`));
    expect(log).toContain(`END RequestId: ${id}\n`);
    expect(log).toMatch(new RegExp(`REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`));
    const plain = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from("{}") }));
    expect(plain.LogResult).toBeUndefined();

    // Both invocations' logs are in CloudWatch Logs, /aws/lambda/<function>, one event per line, in the environment's stream.
    const logs = new CloudWatchLogsClient(clientConfig(server.url));
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/echo" }))).logStreams!;
    expect(streams.map((s) => s.logStreamName)).toEqual([expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/)]);
    const events = (await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/echo", logStreamName: streams[0]!.logStreamName!, startFromHead: true }))).events!;
    const messages = events.map((e) => e.message!);
    for (const requestId of [id, plain.$metadata.requestId!]) {
      expect(messages).toContain(`START RequestId: ${requestId} Version: $LATEST\n`);
      expect(messages).toContain(`END RequestId: ${requestId}\n`);
      expect(messages.some((m) => m.startsWith(`REPORT RequestId: ${requestId}\tDuration: `))).toBe(true);
    }
    expect(messages.filter((m) => /\tINFO\tgot {}\n$/.test(m))).toHaveLength(2);
    // Lambda sent them with the execution role's session.
    const [created] = await lookupRecords(server.url, "EventName", "CreateLogStream");
    expect(created).toMatchObject({ userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/echo` }, requestParameters: { logGroupName: "/aws/lambda/echo" } });
  });

  it("reuses a warm environment between invocations, and starts a new one after a configuration change", async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(json((await lambda.send(new InvokeCommand({ FunctionName: "counter" }))).Payload).count);
    expect(counts).toEqual([1, 2, 3]);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "counter", Description: "changed" }));
    expect(json((await lambda.send(new InvokeCommand({ FunctionName: "counter" }))).Payload).count).toBe(1);
  });

  it("runs concurrent invocations in separate environments, then reuses them", async () => {
    const invokeOnce = async () => json((await lambda.send(new InvokeCommand({ FunctionName: "slow-pid" }))).Payload) as unknown as number;
    const concurrent = await Promise.all([invokeOnce(), invokeOnce()]);
    expect(new Set(concurrent).size).toBe(2);
    expect(concurrent).toContain(await invokeOnce());
  });

  it("reports a thrown error as FunctionError Unhandled with Node's error document, still 200", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "throws", LogType: "Tail" }));
    expect(out).toMatchObject({ StatusCode: 200, FunctionError: "Unhandled" });
    const doc = json(out.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(doc).toMatchObject({ errorType: "TypeError", errorMessage: "boom" });
    expect(doc.trace[0]).toBe("TypeError: boom");
    const log = Buffer.from(out.LogResult!, "base64").toString("utf8");
    expect(log).toContain("INFO\tabout to fail");
    expect(log).toMatch(/ERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"boom","stack":\["TypeError: boom"/);
  });

  it("reports an uncaught exception, and runs the next invocation in a new environment", async () => {
    for (let i = 0; i < 2; i++) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: "crashes", LogType: "Tail" }));
      expect(out.FunctionError).toBe("Unhandled");
      expect(json(out.Payload)).toMatchObject({ errorType: "RangeError", errorMessage: "async boom" });
      expect(Buffer.from(out.LogResult!, "base64").toString()).toContain("ERROR\tUncaught Exception \t");
    }
  });

  it("stops a function at its timeout: Sandbox.Timedout and Lambda's timeout log line", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "sleeps", LogType: "Tail" }));
    expect(out).toMatchObject({ StatusCode: 200, FunctionError: "Unhandled" });
    const doc = json(out.Payload) as { errorType: string; errorMessage: string };
    expect(doc.errorType).toBe("Sandbox.Timedout");
    expect(doc.errorMessage).toMatch(new RegExp(`^RequestId: ${out.$metadata.requestId} Error: Task timed out after 1\\.\\d\\d seconds$`));
    const log = Buffer.from(out.LogResult!, "base64").toString("utf8");
    expect(log).toMatch(/Z [0-9a-f-]{36} Task timed out after 1\.\d\d seconds\n/);
    expect(log).toMatch(/Status: timeout\t\n$/);
  });

  it("holds a Node.js function to its memory size: Runtime.OutOfMemory", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "hog", LogType: "Tail" }));
    expect(out.FunctionError).toBe("Unhandled");
    expect(json(out.Payload)).toMatchObject({ errorType: "Runtime.OutOfMemory", errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Runtime exited with error: signal: /) });
    expect(Buffer.from(out.LogResult!, "base64").toString()).toMatch(/Max Memory Used: 128 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory\t\n$/);
  });

  it("refuses a result over the 6 MB response quota as a function error", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "big" }));
    expect(out.FunctionError).toBe("Unhandled");
    expect(json(out.Payload)).toEqual({ errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).", errorType: "Function.ResponseSizeTooLarge" });
  });

  it("answers 202 to an Event invocation and runs it in the background, and 204 to a DryRun", async () => {
    const event = await lambda.send(new InvokeCommand({ FunctionName: "calls-aws", InvocationType: "Event", Payload: Buffer.from("{}") }));
    expect(event.StatusCode).toBe(202);
    expect(text(event.Payload)).toBe("");
    const dry = await lambda.send(new InvokeCommand({ FunctionName: "echo", InvocationType: "DryRun" }));
    expect(dry.StatusCode).toBe(204);
    // The background run calls STS as the execution role; its record appears once it has run.
    await expect.poll(() => allRecords(server).some((r) => r.eventName === "ListRoles" && r.userIdentity.type === "AssumedRole"), { timeout: 300_000 }).toBe(true);
    const record = allRecords(server).filter((r) => r.eventName === "Invoke").find((r) => r.requestID === event.$metadata.requestId);
    expect(record?.requestParameters).toEqual({ functionName: "calls-aws", invocationType: "Event" });
  });

  it("gives the function the execution role's session: its own calls are recorded as that assumed role", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "calls-aws" }));
    expect(out.FunctionError).toBeUndefined();
    const result = json(out.Payload) as { arn: string; userId: string; roles: string[] };
    expect(result.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/calls-aws`);
    expect(result.userId).toMatch(/^AROA[A-Z0-9]{17}:calls-aws$/);
    expect(result.roles).toContain("exec-role");

    const [record] = await lookupRecords(server.url, "EventName", "GetCallerIdentity");
    expect(record!.userIdentity).toMatchObject({
      type: "AssumedRole",
      principalId: result.userId,
      arn: result.arn,
      accountId: ACCOUNT,
      accessKeyId: expect.stringMatching(/^ASIA/),
      sessionContext: {
        sessionIssuer: { type: "Role", arn: role, userName: "exec-role", accountId: ACCOUNT },
        attributes: { mfaAuthenticated: "false" },
      },
    });
    expect(record!.userAgent).toMatch(/aws-sdk-js/);

    // Lambda got that session by an AssumeRole of its own, recorded as AWS records it: the service as caller,
    // in the function's region, the role and the function's name as input, the credentials only as output.
    const assumed = (await lookupRecords(server.url, "EventName", "AssumeRole")).find((r) => (r.requestParameters as { roleSessionName?: string })?.roleSessionName === "calls-aws");
    expect(assumed).toMatchObject({
      userIdentity: { type: "AWSService", invokedBy: "lambda.amazonaws.com" },
      eventSource: "sts.amazonaws.com",
      awsRegion: "us-east-1",
      sourceIPAddress: "lambda.amazonaws.com",
      userAgent: "lambda.amazonaws.com",
      requestParameters: { roleArn: role, roleSessionName: "calls-aws" },
      resources: [{ accountId: ACCOUNT, type: "AWS::IAM::Role", ARN: role }],
      recipientAccountId: ACCOUNT,
    });
    expect(Object.keys(assumed!.userIdentity)).toEqual(["type", "invokedBy"]);
    expect(Object.keys(assumed!.requestParameters!)).toEqual(["roleArn", "roleSessionName"]);
    const credentials = (assumed!.responseElements as { credentials: { accessKeyId: string; expiration: string } }).credentials;
    expect(Object.keys(assumed!.responseElements!)).toEqual(["credentials"]);
    expect(credentials.accessKeyId).toBe(record!.userIdentity.accessKeyId);
    // Lambda's sessions last 12 hours (AWS's records: expiration 12 hours after the call).
    const hoursLeft = (Date.parse(`${credentials.expiration} UTC`) - Date.parse(assumed!.eventTime)) / 3600_000;
    expect(Math.round(hoursLeft)).toBe(12);
  });

  it("lets an ES module handler import the AWS SDK the runtime provides", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "esm" }));
    expect(out.FunctionError).toBeUndefined();
    expect(json(out.Payload)).toEqual({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/exec-role/esm` });
  });

  it("records Invoke as a data event with the function and the version that ran, never in LookupEvents", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: arnOf("echo"), Payload: Buffer.from("{}") }));
    const record = allRecords(server).find((r) => r.requestID === out.$metadata.requestId)!;
    expect(record).toMatchObject({
      eventSource: "lambda.amazonaws.com",
      eventName: "Invoke",
      readOnly: false,
      managementEvent: false,
      eventCategory: "Data",
      requestParameters: null,
      responseElements: null,
      additionalEventData: { functionVersion: `${arnOf("echo")}:$LATEST` },
      resources: [{ accountId: ACCOUNT, type: "AWS::Lambda::Function", ARN: arnOf("echo") }],
    });
    expect(await lookupRecords(server.url, "EventName", "Invoke")).toEqual([]);
  });

  it("answers AWS's errors for a missing function, a payload that is not JSON and one that is too large", async () => {
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => ({ name: e.name, message: e.message, status: e.$metadata.httpStatusCode }));
    expect(await failure(lambda.send(new InvokeCommand({ FunctionName: "missing" })))).toEqual({ name: "ResourceNotFoundException", message: `Function not found: ${arnOf("missing")}`, status: 404 });
    expect(await failure(lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from("not json") })))).toMatchObject({
      name: "InvalidRequestContentException",
      status: 400,
      message: expect.stringMatching(/^Could not parse request body into json: Could not parse payload into json: /),
    });
    expect(await failure(lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.alloc(6_291_457, 0x20) })))).toEqual({
      name: "RequestEntityTooLargeException",
      message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
      status: 413,
    });
    expect(lastRecord(server, "Invoke")).toMatchObject({ errorCode: "RequestEntityTooLargeException", eventCategory: "Data" });
  });

  it("stops warm environments on reset", async () => {
    const { pid } = json((await lambda.send(new InvokeCommand({ FunctionName: "counter" }))).Payload) as { pid: number };
    expect(isRunning(pid)).toBe(true);
    await server.localtrail.reset();
    await expect.poll(() => isRunning(pid)).toBe(false);
    const error = await lambda.send(new InvokeCommand({ FunctionName: "counter" })).catch((e: { name: string }) => e);
    expect(error).toMatchObject({ name: "ResourceNotFoundException" });
  });
});

describe("an ephemeral emulator's functions do not outlive it", () => {
  it("stops the runtime processes and removes the unpacked code at shutdown", async () => {
    const server = await startTestServer();
    const lambda = new LambdaClient(clientConfig(server.url));
    const role = await createRole(server.url, "short-lived");
    await lambda.send(new CreateFunctionCommand({ FunctionName: "echo", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.js": handlers.echo }) }, Timeout: GENEROUS }));
    const result = json((await lambda.send(new InvokeCommand({ FunctionName: "echo" }))).Payload) as { pid: number; env: { taskRoot: string; tmp: string } };
    expect(existsSync(result.env.taskRoot)).toBe(true);
    expect(existsSync(result.env.tmp)).toBe(true);
    await server.close();
    await expect.poll(() => isRunning(result.pid)).toBe(false);
    expect(existsSync(result.env.taskRoot)).toBe(false);
    expect(existsSync(result.env.tmp)).toBe(false);
  });
});

describe("a persistent emulator keeps its functions in its data dir", () => {
  it("unpacks the code, and gives the function its temporary directory, inside the data dir", async () => {
    const server = await startTestServer({ persistent: true });
    try {
      const lambda = new LambdaClient(clientConfig(server.url));
      const role = await createRole(server.url, "where-role");
      await lambda.send(new CreateFunctionCommand({ FunctionName: "where", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.js": handlers.echo }) }, Timeout: GENEROUS }));
      const { env } = json((await lambda.send(new InvokeCommand({ FunctionName: "where" }))).Payload) as { env: { taskRoot: string; tmp: string } };
      expect(env.taskRoot.startsWith(`${server.dataDir}/`)).toBe(true);
      expect(env.tmp.startsWith(`${server.dataDir}/`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("invokes after a restart with the same data dir, unpacking the stored zip again", async () => {
    const first = await startTestServer({ persistent: true });
    const dataDir = first.dataDir!;
    const lambda = new LambdaClient(clientConfig(first.url));
    const role = await createRole(first.url, "durable");
    await lambda.send(new CreateFunctionCommand({ FunctionName: "durable", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.js": handlers.counter }) }, Timeout: GENEROUS }));
    await first.stop();
    const second = await startTestServer({ dataDir });
    try {
      const out = await new LambdaClient(clientConfig(second.url)).send(new InvokeCommand({ FunctionName: "durable" }));
      expect(json(out.Payload)).toMatchObject({ count: 1 });
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasPython)("Invoke runs python functions through python3", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  beforeAll(async () => {
    server = await startTestServer({ persistent: true });
    lambda = new LambdaClient(clientConfig(server.url));
    const role = await createRole(server.url, "py-role");
    const deploy = (name: string, source: string) =>
      lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "python3.12", Role: role, Handler: "lambda_function.handler", Code: { ZipFile: zipOf({ "lambda_function.py": source }) }, Timeout: GENEROUS }));
    await deploy("py-echo", handlers.python);
    await deploy("py-throws", handlers.pythonThrows);
    await deploy("py-aws", handlers.pythonCallsAws);
  });
  afterAll(() => server.close());

  it("returns the handler's result, with print output in the log", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "py-echo", Payload: Buffer.from('{"n": 1}'), LogType: "Tail" }));
    expect(json(out.Payload)).toEqual({ event: { n: 1 }, functionName: "py-echo", requestId: out.$metadata.requestId, region: "us-east-1" });
    expect(Buffer.from(out.LogResult!, "base64").toString()).toContain('python got {"n": 1}\n');
  });

  it("reports an exception with Python's error document", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "py-throws" }));
    expect(out.FunctionError).toBe("Unhandled");
    const doc = json(out.Payload) as { stackTrace: string[] };
    expect(doc).toMatchObject({ errorMessage: "bad value", errorType: "ValueError", requestId: out.$metadata.requestId });
    expect(doc.stackTrace.join("")).toContain('raise ValueError("bad value")');
  });

  it("lets boto3 in the function call back into localtrail as the execution role", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "py-aws" }));
    expect(json(out.Payload)).toEqual({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/py-role/py-aws` });
  });
});

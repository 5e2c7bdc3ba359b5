import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { signRequest } from "../helpers/signed-request.js";
import { createRole, handlers, lastRecord, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";

/** The restJson1 wire format as AWS Lambda sends it (reference/protocols.md §2.5), byte for byte where it matters. */
describe("Lambda's rest-json wire format", () => {
  let server: TestServer;
  const send = async (method: string, path: string, body = "", headers: Record<string, string> = {}) => {
    const signed = await signRequest({ url: server.url, service: "lambda", method, path, body, headers });
    return fetch(`${server.url}${path}`, { method, headers: signed.headers, body: method === "GET" || method === "DELETE" ? undefined : body });
  };

  beforeAll(async () => {
    server = await startTestServer();
    const role = await createRole(server.url, "wire-role");
    await new LambdaClient(clientConfig(server.url)).send(
      new CreateFunctionCommand({ FunctionName: "echo", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Timeout: 30, Code: { ZipFile: zipOf({ "index.js": handlers.echo }) } }),
    );
  });
  afterAll(() => server.close());

  it("answers an error with x-amzn-ErrorType, the request id and a {Type, message} body", async () => {
    const res = await send("GET", "/2015-03-31/functions/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    expect(res.headers.get("content-type")).toBe("application/json");
    const requestId = res.headers.get("x-amzn-requestid");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe(JSON.stringify({ Type: "User", message: `Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope` }));
    expect(lastRecord(server, "GetFunction20150331v2").requestID).toBe(requestId);
  });

  it("routes a URL-encoded function ARN, and passes Invoke's raw payload through in both directions", async () => {
    const arn = encodeURIComponent(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo`);
    const res = await send("POST", `/2015-03-31/functions/${arn}/invocations`, '{"raw":true}', { "content-type": "application/octet-stream", "x-amz-log-type": "Tail" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-executed-version")).toBe("$LATEST");
    expect(Buffer.from(res.headers.get("x-amz-log-result")!, "base64").toString()).toContain("START RequestId: ");
    expect(JSON.parse(await res.text())).toMatchObject({ event: { raw: true } });
  });

  it("answers 204 with no body where the model says so, and 201 with JSON for a creation", async () => {
    const created = await send("POST", "/2015-03-31/functions/echo/aliases", JSON.stringify({ Name: "live", FunctionVersion: "$LATEST" }), { "content-type": "application/json" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ Name: "live", AliasArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo:live` });
    const deleted = await send("DELETE", "/2015-03-31/functions/echo/aliases/live");
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    const dryRun = await send("POST", "/2015-03-31/functions/echo/invocations", "", { "x-amz-invocation-type": "DryRun" });
    expect(dryRun.status).toBe(204);
  });

  it("answers a body that is not JSON with a 400, and records the call", async () => {
    const res = await send("POST", "/2015-03-31/functions", "{not json", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBeTruthy();
    expect(lastRecord(server, "CreateFunction20150331")).toMatchObject({ errorCode: res.headers.get("x-amzn-errortype"), requestParameters: null });
  });

  it("answers an unknown Lambda path with UnknownOperationException, never a 5xx", async () => {
    const res = await send("GET", "/2015-03-31/functions/echo/nothing-here");
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });
});

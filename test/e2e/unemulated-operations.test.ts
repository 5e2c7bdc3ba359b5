import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchLogsClient, DescribeDestinationsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient, ListLayersCommand } from "@aws-sdk/client-lambda";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { aws } from "../helpers/cli.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("an operation of an emulated service that localtrail does not emulate", () => {
  it("answers NotImplemented in the service's protocol, so SDKs and the CLI name it", async () => {
    expect(await failure(new CloudWatchLogsClient(clientConfig(server.url)).send(new DescribeDestinationsCommand({})))).toEqual({
      name: "NotImplemented",
      status: 501,
      message: "localtrail does not emulate logs:DescribeDestinations yet",
    });
    expect(await failure(new LambdaClient(clientConfig(server.url)).send(new ListLayersCommand({})))).toMatchObject({ name: "NotImplemented", status: 501 });
    const cli = await aws(server.url, ["iam", "get-credential-report"]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain("An error occurred (NotImplemented) when calling the GetCredentialReport operation: localtrail does not emulate iam:GetCredentialReport yet");
  });

  it("is recorded as AWS records a failed call: the caller, the input, the error code and message", async () => {
    const [logs] = await lookupRecords(server.url, "EventName", "DescribeDestinations");
    expect(logs).toMatchObject({
      eventSource: "logs.amazonaws.com",
      userIdentity: { type: "Root", accountId: "000000000000" },
      errorCode: "NotImplemented",
      errorMessage: "localtrail does not emulate logs:DescribeDestinations yet",
      responseElements: null,
      readOnly: true,
      managementEvent: true,
    });
    const [iam] = await lookupRecords(server.url, "EventName", "GetCredentialReport");
    expect(iam).toMatchObject({ eventSource: "iam.amazonaws.com", awsRegion: "us-east-1", errorCode: "NotImplemented", userAgent: expect.stringMatching(/^aws-cli\//) });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, ListUsersCommand, GetUserCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { boto3 } from "../helpers/cli.js";
import { lookupRecords } from "../helpers/records.js";

/**
 * What the awsQuery and JSON codecs send must parse in both botocore and SDK v3: empty lists present,
 * Result wrappers, lowercase booleans, timestamps, and the same request id in the header, in the body,
 * and in the record.
 */
describe("awsQuery and JSON 1.1 responses in both parsers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("an empty list is an empty list for boto3 and SDK v3", async () => {
    const sdk = await new IAMClient(clientConfig(server.url)).send(new ListUsersCommand({}));
    expect(sdk.Users).toEqual([]);
    expect(sdk.IsTruncated).toBe(false);
    const py = await boto3<{ users: unknown[]; truncated: boolean }>(server.url, `r = boto3.client("iam").list_users()
print(json.dumps({"users": r["Users"], "truncated": r["IsTruncated"]}))`);
    expect(py).toEqual({ users: [], truncated: false });
  });

  it("carries one request id in the header, the body and the record", async () => {
    const out = await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "rid" }));
    const [record] = await lookupRecords(server.url, "ResourceName", "rid");
    expect(out.$metadata.requestId).toBe(record!.requestID);
    const py = await boto3<{ body: string; header: string; created: string }>(server.url, `r = boto3.client("iam").get_user(UserName="rid")
print(json.dumps({"body": r["ResponseMetadata"]["RequestId"], "header": r["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"], "created": r["User"]["CreateDate"].isoformat()}))`);
    expect(py.body).toBe(py.header);
    expect(py.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const [getUser] = await lookupRecords(server.url, "EventName", "GetUser");
    expect(getUser!.requestID).toBe(py.body);
  });

  it("errors carry the model's code and status, and their request id too", async () => {
    const iam = new IAMClient(clientConfig(server.url));
    const err = await iam.send(new GetUserCommand({ UserName: "nobody" })).catch((e: unknown) => e as { name: string; Code?: string; $metadata: { httpStatusCode: number; requestId: string } });
    expect(err).toMatchObject({ name: "NoSuchEntityException", $metadata: { httpStatusCode: 404 } });
    const [record] = await lookupRecords(server.url, "EventName", "GetUser");
    expect(record).toMatchObject({ errorCode: "NoSuchEntityException", errorMessage: "The user with name nobody cannot be found.", requestID: err.$metadata.requestId });
    const py = await boto3<{ code: string; status: number; rid: string }>(server.url, `try:
    boto3.client("iam").get_user(UserName="nobody")
except Exception as e:
    print(json.dumps({"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "rid": e.response["ResponseMetadata"]["RequestId"]}))`);
    expect(py).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect(py.rid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("JSON timestamps are epoch seconds that both parsers read as dates", async () => {
    const out = await new CloudTrailClient(clientConfig(server.url)).send(new LookupEventsCommand({ MaxResults: 1 }));
    expect(out.Events![0]!.EventTime).toBeInstanceOf(Date);
    expect(Math.abs(out.Events![0]!.EventTime!.getTime() - Date.now())).toBeLessThan(600_000);
    const py = await boto3<{ year: number }>(server.url, `r = boto3.client("cloudtrail").lookup_events(MaxResults=1)
print(json.dumps({"year": r["Events"][0]["EventTime"].year}))`);
    expect(py.year).toBe(new Date().getUTCFullYear());
  });

  it("malformed input from an authenticated caller is answered and recorded with AWS's error", async () => {
    const raw = await boto3<{ code: string }>(server.url, `try:
    boto3.client("iam").create_user(UserName="not valid!")
except Exception as e:
    print(json.dumps({"code": e.response["Error"]["Code"]}))`);
    expect(raw.code).toBe("ValidationError");
    const [record] = await lookupRecords(server.url, "EventName", "CreateUser");
    expect(record).toMatchObject({ errorCode: "ValidationException", requestParameters: { userName: "not valid!" }, responseElements: null });
  });
});

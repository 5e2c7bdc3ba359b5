/**
 * The ceiling: a bare Hono server on @hono/node-server that answers each benchmarked operation with a fixed,
 * valid response, no signature check, no recording. No emulator on this machine can beat it; localtrail's
 * requests per second are reported as a ratio of it.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const GET_USER =
  '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><Path>/</Path><UserName>bench</UserName><UserId>AIDABENCHBENCHBENCH01</UserId><Arn>arn:aws:iam::000000000000:user/bench</Arn><CreateDate>2026-11-24T13:19:06Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8ebench0001</RequestId></ResponseMetadata></GetUserResponse>';

const CALLER =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn><UserId>000000000000</UserId><Account>000000000000</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8ebench0002</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

/** A LookupEvents page as big as a real one: 50 events, each with its record as a JSON string. */
function lookupPage(): string {
  const record = JSON.stringify({
    eventVersion: "1.11",
    userIdentity: { type: "IAMUser", principalId: "AIDABENCHBENCHBENCH01", arn: "arn:aws:iam::000000000000:user/bench", accountId: "000000000000", accessKeyId: "AKIABENCHBENCHBENCH1", userName: "bench" },
    eventTime: "2026-11-24T13:19:06Z",
    eventSource: "iam.amazonaws.com",
    eventName: "CreateUser",
    awsRegion: "us-east-1",
    sourceIPAddress: "127.0.0.1",
    userAgent: "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux md/arch#x86_64 lang/python#3.11.7 botocore/1.43.11",
    requestParameters: { userName: "mary" },
    responseElements: { user: { path: "/", userName: "mary", userId: "AIDAMARYMARYMARYMARY1", arn: "arn:aws:iam::000000000000:user/mary", createDate: "Nov 24, 2026 1:19:06 PM" } },
    requestID: "7a62c49f-347e-4fc4-9331-6e8ebench0003",
    eventID: "6b7c0e7e-2f64-4d2a-9f3c-0a1b2c3d4e5f",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "000000000000",
    eventCategory: "Management",
  });
  const event = { EventId: "6b7c0e7e-2f64-4d2a-9f3c-0a1b2c3d4e5f", EventName: "CreateUser", ReadOnly: "false", AccessKeyId: "AKIABENCHBENCHBENCH1", EventTime: 1795526346, EventSource: "iam.amazonaws.com", Username: "bench", Resources: [{ ResourceType: "AWS::IAM::User", ResourceName: "mary" }], CloudTrailEvent: record };
  return JSON.stringify({ Events: Array.from({ length: 50 }, () => event), NextToken: "eyJhIjoxfQ.c2lnbmF0dXJl" });
}

const LOOKUP = lookupPage();
const app = new Hono();
const xml = (body: string) => new Response(body, { headers: { "content-type": "text/xml", "x-amzn-requestid": "7a62c49f-347e-4fc4-9331-6e8ebench0001" } });

app.post("/", async (c) => {
  if (c.req.header("x-amz-target")) return new Response(LOOKUP, { headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r" } });
  const body = await c.req.text();
  return xml(body.includes("GetCallerIdentity") ? CALLER : GET_USER);
});
app.put("*", async (c) => {
  await c.req.arrayBuffer();
  return c.body(null, 200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"', "x-amz-request-id": "BENCHBENCHBENCH1" });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`ceiling ready on http://127.0.0.1:${info.port}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));

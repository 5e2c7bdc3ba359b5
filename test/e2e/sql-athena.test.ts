import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessKeyCommand, CreateUserCommand, DeleteUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/localtrail.js");

/** A log file of what the emulator does not produce itself: console sign-ins and refused calls. */
function signInsAndDenials(when: Date) {
  const t = (minutes: number) => new Date(when.getTime() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const user = (name: string) => ({ type: "IAMUser", principalId: `AIDA${name.toUpperCase().padEnd(17, "X")}`, arn: `arn:aws:iam::000000000000:user/${name}`, accountId: "000000000000", userName: name });
  const base = { eventVersion: "1.08", awsRegion: "us-east-1", recipientAccountId: "000000000000", managementEvent: true, eventCategory: "Management" };
  const signIn = (name: string, mfa: "Yes" | "No", ip: string, minutes: number, n: number) => ({
    ...base,
    userIdentity: user(name),
    eventTime: t(minutes),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    sourceIPAddress: ip,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: mfa },
    eventID: `00000000-0000-4000-8000-00000000000${n}`,
    readOnly: false,
    eventType: "AwsConsoleSignIn",
  });
  const denied = (name: string, eventName: string, source: string, code: string, minutes: number, n: number) => ({
    ...base,
    userIdentity: { ...user(name), accessKeyId: "AKIAEXAMPLEDENIED001" },
    eventTime: t(minutes),
    eventSource: source,
    eventName,
    sourceIPAddress: "203.0.113.9",
    userAgent: "aws-cli/2.15.17",
    errorCode: code,
    errorMessage: `User: arn:aws:iam::000000000000:user/${name} is not authorized to perform: ${eventName}`,
    requestParameters: null,
    responseElements: null,
    requestID: `req-${n}`,
    eventID: `00000000-0000-4000-8000-0000000000${n}`,
    readOnly: true,
    eventType: "AwsApiCall",
  });
  return {
    Records: [
      signIn("alice", "No", "198.51.100.23", 1, 1),
      signIn("bob", "Yes", "198.51.100.40", 2, 2),
      denied("eve", "ListUsers", "iam.amazonaws.com", "AccessDenied", 3, 11),
      denied("eve", "ListUsers", "iam.amazonaws.com", "AccessDenied", 4, 12),
      denied("eve", "DescribeInstances", "ec2.amazonaws.com", "Client.UnauthorizedOperation", 5, 13),
    ],
  };
}

describe("SQL over the history: Athena's cloudtrail_logs", () => {
  let server: TestServer;
  const query = async (sql: string, nextToken?: string) => {
    const res = await fetch(`${server.url}/_localtrail/query`, { method: "POST", body: JSON.stringify(nextToken ? { nextToken } : { sql }) });
    return { status: res.status, body: (await res.json()) as { columns: { name: string }[]; rows: unknown[][]; nextToken?: string; error?: string } };
  };
  const rows = async (sql: string) => {
    const { status, body } = await query(sql);
    expect(status, body.error).toBe(200);
    return body.rows.map((row) => Object.fromEntries(body.columns.map((c, i) => [c.name, row[i]])));
  };

  beforeAll(async () => {
    server = await startTestServer({ persistent: true });
    // Live history: the root creates mary and bob; mary, with her own key, deletes bob.
    const root = new IAMClient(clientConfig(server.url));
    await root.send(new CreateUserCommand({ UserName: "mary" }));
    await root.send(new CreateUserCommand({ UserName: "bob" }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: "mary" }));
    const mary = new IAMClient(clientConfig(server.url, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await mary.send(new DeleteUserCommand({ UserName: "bob" }));
    // Imported history: sign-ins into the event log, denials through both stores.
    const file = gzipSync(JSON.stringify(signInsAndDenials(new Date(Date.now() - 3_600_000))));
    expect((await fetch(`${server.url}/_localtrail/import`, { method: "POST", body: file })).status).toBe(200);
    const columnar = gzipSync(JSON.stringify({ Records: signInsAndDenials(new Date(Date.now() - 7_200_000)).Records.slice(2).map((r, i) => ({ ...r, eventID: `11111111-0000-4000-8000-00000000000${i}` })) }));
    const res = await fetch(`${server.url}/_localtrail/import?store=columnar`, { method: "POST", body: columnar });
    expect(await res.json()).toEqual({ imported: 3, duplicates: 0, rejected: 0 });
  });
  afterAll(() => server.close());

  it("who deleted what: the principal, the call and what it named", async () => {
    const found = await rows(`SELECT useridentity.arn, eventname, json_extract_scalar(requestparameters, '$.userName') AS target, eventtime
      FROM cloudtrail_logs WHERE eventname LIKE 'Delete%' ORDER BY eventtime`);
    expect(found).toEqual([{ arn: "arn:aws:iam::000000000000:user/mary", eventname: "DeleteUser", target: "bob", eventtime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) }]);
  });

  it("console logins without MFA", async () => {
    const found = await rows(`SELECT useridentity.username, sourceipaddress, eventtime, additionaleventdata
      FROM cloudtrail_logs
      WHERE eventname = 'ConsoleLogin' AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'`);
    expect(found).toEqual([{ username: "alice", sourceipaddress: "198.51.100.23", eventtime: expect.any(String), additionaleventdata: expect.stringContaining('"MFAUsed":"No"') }]);
  });

  it("denied calls by principal (the AWS Big Data Blog's query), live and imported alike", async () => {
    const found = await rows(`SELECT count (*) AS TotalEvents, useridentity.arn, eventsource, eventname, errorCode, errorMessage
      FROM cloudtrail_logs
      WHERE (errorcode like '%Denied%' or errorcode like '%Unauthorized%')
      AND eventtime >= '2017-01-01T00:00:00Z'
      GROUP BY useridentity.arn, eventsource, eventname, errorCode, errorMessage
      ORDER BY eventsource, eventname`);
    expect(found.map((r) => [r.TotalEvents, r.arn, r.eventname, r.errorcode])).toEqual([
      [2, "arn:aws:iam::000000000000:user/eve", "DescribeInstances", "Client.UnauthorizedOperation"],
      [4, "arn:aws:iam::000000000000:user/eve", "ListUsers", "AccessDenied"],
    ]);
  });

  it("activity per source IP address", async () => {
    const found = await rows(`SELECT sourceipaddress, count(*) AS events, count(DISTINCT useridentity.arn) AS principals
      FROM cloudtrail_logs GROUP BY sourceipaddress ORDER BY events DESC, sourceipaddress`);
    expect(found[0]).toMatchObject({ sourceipaddress: "203.0.113.9", events: 6, principals: 1 });
    expect(found).toContainEqual({ sourceipaddress: "198.51.100.23", events: 1, principals: 1 });
    expect(found.find((r) => r.sourceipaddress === "127.0.0.1")?.events).toBe(4);
  });

  it("runs the Athena guide's Trino: from_iso8601_timestamp, date_add(unit, n, ts), nested fields, UNNEST", async () => {
    const recent = await rows(`SELECT eventname FROM cloudtrail_logs
      WHERE eventsource = 'iam.amazonaws.com' AND eventname in ('CreateUser') AND useridentity.accountid = '000000000000'
      AND from_iso8601_timestamp(eventtime) > date_add('day', -7, now())`);
    expect(recent).toHaveLength(2);
    const nested = await rows(`SELECT eventsource, eventname, useridentity.sessioncontext.attributes.creationdate, useridentity.sessioncontext.sessionissuer.arn
      FROM cloudtrail_logs WHERE useridentity.sessioncontext.sessionissuer.arn IS NOT NULL ORDER BY eventsource, eventname LIMIT 10`);
    expect(nested).toEqual([]);
    const typed = await rows(`SELECT date_format(from_iso8601_timestamp(eventtime), '%Y-%m-%d %H:%i') AS minute, date_parse('2024-03-05 07:08:09', '%Y-%m-%d %H:%i:%s') AS parsed
      FROM cloudtrail_logs WHERE eventname = 'DeleteUser'`);
    expect(typed[0]!.minute).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(typed[0]!.parsed).toBe("2024-03-05T07:08:09.000Z");
  });

  it("refuses bad SQL with the engine's own message, and anything but SELECT", async () => {
    const bad = await query("SELEC eventname FROM cloudtrail_logs");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/syntax error at or near "SELEC"/);
    expect((await query("SELECT nosuchcolumn FROM cloudtrail_logs")).body.error).toMatch(/nosuchcolumn/);
    expect((await query("INSTALL httpfs")).body.error).toBe("Only SELECT statements can be run over the history.");
    expect((await query("SELECT * FROM read_csv('/etc/passwd')")).body.error).toMatch(/Permission Error/);
  });

  it("localtrail query prints a table, CSV or JSON", async () => {
    const sql = "SELECT eventname, count(*) AS n FROM cloudtrail_logs WHERE eventsource = 'iam.amazonaws.com' AND errorcode IS NULL GROUP BY eventname ORDER BY eventname";
    const cli = (...args: string[]) => run(process.execPath, [BIN, "query", "--endpoint", server.url, ...args]);
    const table = (await cli(sql)).stdout;
    expect(table).toMatch(/^eventname\s+\| n\n-+-\+-+\nCreateAccessKey \| 1\nCreateUser\s+\| 2\nDeleteUser\s+\| 1\n\(3 rows\)\n$/);
    expect((await cli("--format", "csv", sql)).stdout).toBe("eventname,n\nCreateAccessKey,1\nCreateUser,2\nDeleteUser,1\n");
    expect(JSON.parse((await cli("--format", "json", sql)).stdout)).toEqual([
      { eventname: "CreateAccessKey", n: 1 },
      { eventname: "CreateUser", n: 2 },
      { eventname: "DeleteUser", n: 1 },
    ]);
    const failed = await cli("SELEC 1").catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('syntax error at or near "SELEC"') });
  });

  it("imports a batch of log files to the columnar store in one request, naming the ones that are not log files", async () => {
    const record = (i: number) => ({ ...signInsAndDenials(new Date(Date.now() - 5_400_000)).Records[2], eventID: `22222222-0000-4000-8000-00000000000${i}` });
    const form = new FormData();
    form.append("file", new Blob([gzipSync(JSON.stringify({ Records: [record(0), record(1)] }))]), "a.json.gz");
    form.append("file", new Blob(["not json"]), "b.json");
    // Pretty-printed, with a key after Records: read the careful way, not cut out of the text.
    form.append("file", new Blob([JSON.stringify({ Records: [record(2), 7], note: "x" }, null, 2)]), "c.json");
    const res = await fetch(`${server.url}/_localtrail/import?store=columnar`, { method: "POST", body: form });
    expect(await res.json()).toEqual({ imported: 3, duplicates: 0, rejected: 1, failed: [{ name: "b.json", error: expect.stringContaining("not JSON") }] });
    expect(await rows("SELECT count(*) AS n FROM cloudtrail_logs WHERE eventid LIKE '22222222-%'")).toEqual([{ n: 3 }]);
  });
});

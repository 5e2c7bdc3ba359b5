import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccountAliasCommand, DeleteAccountAliasCommand, IAMClient, ListAccountAliasesCommand } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

describe("IAM account aliases", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("starts with none, then holds the one alias created", async () => {
    expect(await iam.send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: [], IsTruncated: false });
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: "examplecorp" }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["examplecorp"]);
    const record = await latestRecord(server.url, "CreateAccountAlias");
    expect(record).toMatchObject({ requestParameters: { accountAlias: "examplecorp" }, responseElements: null, readOnly: false });
  });

  it("replaces the alias: an account has only one", async () => {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: "example-corp" }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["example-corp"]);
  });

  it("names the root by the account's alias in userIdentity.userName, while Event history still says root", async () => {
    await iam.send(new ListAccountAliasesCommand({}));
    const record = await latestRecord(server.url, "ListAccountAliases");
    // CloudTrail User Guide, userIdentity element: a Root caller's userName is the account alias, if one is set.
    expect(record.userIdentity).toEqual({ type: "Root", principalId: "000000000000", arn: "arn:aws:iam::000000000000:root", accountId: "000000000000", accessKeyId: "test", userName: "example-corp" });
    expect(await lookupRecords(server.url, "Username", "root")).toContainEqual(expect.objectContaining({ eventID: record.eventID }));
  });

  it("refuses an alias outside the model's pattern", async () => {
    const err = await iam.send(new CreateAccountAliasCommand({ AccountAlias: "Bad--Alias" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
  });

  it("deletes the alias, and answers an unknown one with NoSuchEntity", async () => {
    const err = await iam.send(new DeleteAccountAliasCommand({ AccountAlias: "other" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NoSuchEntityException", $metadata: { httpStatusCode: 404 } });
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: "example-corp" }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    const listed = await latestRecord(server.url, "ListAccountAliases");
    expect(listed.readOnly).toBe(true);
    expect(listed.userIdentity.userName).toBeUndefined();
  });
});

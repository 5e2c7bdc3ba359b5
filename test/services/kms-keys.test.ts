import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-kms";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { boto3 } from "../helpers/cli.js";

const ACCOUNT = "000000000000";

describe("KMS keys, aliases and policies", () => {
  let server: TestServer;
  let kms: KMSClient;
  beforeAll(async () => {
    server = await startTestServer();
    kms = new KMSClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("creates a symmetric key with AWS's KeyMetadata and records it", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({ Description: "trail logs", Tags: [{ TagKey: "team", TagValue: "audit" }] }));
    expect(meta).toMatchObject({
      AWSAccountId: ACCOUNT,
      Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${meta!.KeyId}`,
      Enabled: true,
      Description: "trail logs",
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
      KeySpec: "SYMMETRIC_DEFAULT",
      EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      MultiRegion: false,
    });
    expect(meta!.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(meta!.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(meta!.CreationDate).toBeInstanceOf(Date);

    const record = await latestRecord(server.url, "CreateKey");
    expect(record).toMatchObject({ eventSource: "kms.amazonaws.com", readOnly: false, managementEvent: true });
    expect(record.requestParameters).toEqual({ description: "trail logs", tags: [{ tagKey: "team", tagValue: "audit" }] });
    const recorded = (record.responseElements as { keyMetadata: Record<string, unknown> }).keyMetadata;
    expect(recorded).toMatchObject({ AWSAccountId: ACCOUNT, keyId: meta!.KeyId, arn: meta!.Arn, keyState: "Enabled", multiRegion: false });
    expect(recorded.creationDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(record.resources).toEqual([{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: meta!.Arn }]);
  });

  it("describes a key by id, key ARN, alias name and alias ARN", async () => {
    const { KeyMetadata: meta } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: "alias/app", TargetKeyId: meta!.KeyId }));
    for (const KeyId of [meta!.KeyId!, meta!.Arn!, "alias/app", `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`]) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId }));
      expect(out.KeyMetadata!.Arn).toBe(meta!.Arn);
    }
    const created = await latestRecord(server.url, "CreateAlias");
    expect(created.requestParameters).toEqual({ aliasName: "alias/app", targetKeyId: meta!.KeyId });
    expect(created.responseElements).toEqual({ keyId: meta!.Arn });
    expect(created.resources).toEqual([
      { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: meta!.Arn },
      { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app` },
    ]);
  });

  it("answers unknown keys and aliases with NotFoundException in AWS's words", async () => {
    const id = "11111111-2222-3333-4444-555555555555";
    expect(await failure(kms.send(new DescribeKeyCommand({ KeyId: id })))).toEqual({
      name: "NotFoundException",
      status: 400,
      message: `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}' does not exist`,
    });
    expect(await failure(kms.send(new DescribeKeyCommand({ KeyId: "alias/nope" })))).toEqual({
      name: "NotFoundException",
      status: 400,
      message: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/nope is not found.`,
    });
    const record = await latestRecord(server.url, "DescribeKey");
    expect(record).toMatchObject({ errorCode: "NotFoundException", errorMessage: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/nope is not found.`, readOnly: true });
    // An ARN naming no real region names no key (and never a state file).
    expect(await failure(kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:../../etc:${ACCOUNT}:key/${id}` })))).toMatchObject({ name: "NotFoundException", status: 400 });
    expect(await failure(kms.send(new EncryptCommand({ KeyId: "not-a-key", Plaintext: Buffer.from("x") })))).toEqual({
      name: "NotFoundException",
      status: 400,
      message: "Invalid keyId not-a-key",
    });
  });

  it("lists keys and aliases, updates and deletes aliases", async () => {
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/moving", TargetKeyId: a.Arn }));
    expect(await failure(kms.send(new CreateAliasCommand({ AliasName: "alias/moving", TargetKeyId: b.KeyId })))).toMatchObject({
      name: "AlreadyExistsException",
      message: `An alias with the name arn:aws:kms:us-east-1:${ACCOUNT}:alias/moving already exists`,
    });
    await kms.send(new UpdateAliasCommand({ AliasName: "alias/moving", TargetKeyId: b.KeyId }));
    // UpdateAlias and DeleteAlias name the alias before the key; CreateAlias the key first (KMS Developer Guide).
    const aliasArn = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/moving`;
    expect((await latestRecord(server.url, "UpdateAlias")).resources?.[0]).toEqual({ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: aliasArn });
    const ofB = await kms.send(new ListAliasesCommand({ KeyId: b.KeyId }));
    expect(ofB.Aliases).toEqual([
      expect.objectContaining({ AliasName: "alias/moving", AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/moving`, TargetKeyId: b.KeyId }),
    ]);
    await kms.send(new DeleteAliasCommand({ AliasName: "alias/moving" }));
    expect((await kms.send(new ListAliasesCommand({ KeyId: b.KeyId }))).Aliases).toEqual([]);
    const deleted = await latestRecord(server.url, "DeleteAlias");
    expect(deleted.responseElements).toEqual({ keyId: b.Arn });
    expect(deleted.resources).toEqual([
      { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: aliasArn },
      { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: b.Arn },
    ]);

    const page = await kms.send(new ListKeysCommand({ Limit: 1 }));
    expect(page).toMatchObject({ Truncated: true, Keys: [{ KeyId: expect.any(String), KeyArn: expect.stringMatching(/^arn:aws:kms:/) }] });
    const rest = await kms.send(new ListKeysCommand({ Marker: page.NextMarker }));
    expect(rest.Keys!.map((k) => k.KeyId)).toEqual(expect.arrayContaining([a.KeyId, b.KeyId]));
  });

  it("disables, enables, schedules and cancels deletion with the key states AWS uses", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect((await latestRecord(server.url, "DisableKey")).responseElements).toEqual({ keyId: key.Arn });
    expect(await failure(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })))).toEqual({
      name: "DisabledException",
      status: 400,
      message: `${key.Arn} is disabled.`,
    });
    await kms.send(new EnableKeyCommand({ KeyId: key.Arn }));
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: key.Arn, KeyState: "PendingDeletion", PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6 * 86400_000);
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    expect(described).toMatchObject({ KeyState: "PendingDeletion", Enabled: false, PendingDeletionWindowInDays: 7 });
    expect(await failure(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })))).toEqual({
      name: "KMSInvalidStateException",
      status: 400,
      message: `${key.Arn} is pending deletion.`,
    });
    const record = await latestRecord(server.url, "ScheduleKeyDeletion");
    expect(record.responseElements).toMatchObject({ keyId: key.Arn, keyState: "PendingDeletion", pendingWindowInDays: 7 });
    expect((record.responseElements as { deletionDate: string }).deletionDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, /);
    expect(await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 3 })))).toMatchObject({ name: "KMSInvalidStateException" });

    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState).toBe("Disabled");
    expect(await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 3 })))).toMatchObject({
      name: "ValidationException",
      status: 400,
    });
  });

  it("keeps the default key policy as AWS writes it and replaces it with PutKeyPolicy", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: "default" }));
    expect(PolicyName).toBe("default");
    expect(Policy).toContain('"Id" : "key-default-1"');
    expect(JSON.parse(Policy!)).toEqual({
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
    });
    expect((await latestRecord(server.url, "GetKeyPolicy")).responseElements).toBeNull();
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:GenerateDataKey*", Resource: "*" }] });
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: "default", Policy: policy }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy).toBe(policy);
    expect(await failure(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: "{not json" })))).toMatchObject({ name: "MalformedPolicyDocumentException" });
  });

  it("tags and untags keys", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: "a", TagValue: "1" }, { TagKey: "b", TagValue: "2" }] }));
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ["a"] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags).toEqual([{ TagKey: "b", TagValue: "2" }]);
    expect((await latestRecord(server.url, "TagResource")).resources).toEqual([{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: key.Arn }]);
  });
});

describe("KMS cryptography", () => {
  let server: TestServer;
  let kms: KMSClient;
  beforeAll(async () => {
    server = await startTestServer();
    kms = new KMSClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("encrypts and decrypts without a KeyId, binding the encryption context", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/secrets", TargetKeyId: key.KeyId }));
    const context = { Department: "Engineering" };
    const enc = await kms.send(new EncryptCommand({ KeyId: "alias/secrets", Plaintext: Buffer.from("hello"), EncryptionContext: context }));
    expect(enc).toMatchObject({ KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
    expect(Buffer.from(enc.CiphertextBlob!).toString("utf8")).not.toContain("hello");

    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(dec.Plaintext!).toString("utf8")).toBe("hello");
    expect(dec).toMatchObject({ KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT", KeyMaterialId: key.CurrentKeyMaterialId });

    expect(await failure(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { Department: "Sales" } })))).toEqual({
      name: "InvalidCiphertextException",
      status: 400,
      message: expect.any(String),
    });
    expect(await failure(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).toMatchObject({ name: "InvalidCiphertextException" });
    expect(await failure(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from("garbage-bytes") })))).toMatchObject({ name: "InvalidCiphertextException" });

    const encRecord = await latestRecord(server.url, "Encrypt");
    expect(encRecord).toMatchObject({
      readOnly: true,
      requestParameters: { keyId: "alias/secrets", encryptionContext: context, encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
      responseElements: null,
      additionalEventData: { keyMaterialId: key.CurrentKeyMaterialId },
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: key.Arn }],
    });
    expect(JSON.stringify(encRecord)).not.toContain(Buffer.from("hello").toString("base64"));

    const [decRecord] = await lookupRecords(server.url, "EventName", "Decrypt");
    expect(decRecord).toMatchObject({ readOnly: true, errorCode: "InvalidCiphertextException", requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" } });
    const records = await lookupRecords(server.url, "EventName", "Decrypt");
    const ok = records.find((r) => !r.errorCode)!;
    expect(ok.requestParameters).toEqual({ encryptionAlgorithm: "SYMMETRIC_DEFAULT", keyId: key.Arn, encryptionContext: context });
    expect(JSON.stringify(ok)).not.toContain(Buffer.from(enc.CiphertextBlob!).toString("base64"));
  });

  it("generates data keys that decrypt back to the same plaintext, and re-encrypts under another key", async () => {
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: a.KeyId, KeySpec: "AES_256", EncryptionContext: { purpose: "test" } }));
    expect(dk.Plaintext).toHaveLength(32);
    expect(dk.KeyId).toBe(a.Arn);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { purpose: "test" } }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);

    const noPlain = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: a.Arn, NumberOfBytes: 16 }));
    expect(noPlain).not.toHaveProperty("Plaintext");
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: noPlain.CiphertextBlob }))).Plaintext).toHaveLength(16);
    expect(await failure(kms.send(new GenerateDataKeyCommand({ KeyId: a.KeyId })))).toEqual({
      name: "ValidationException",
      status: 400,
      message: "Please specify either number of bytes or key spec.",
    });

    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: dk.CiphertextBlob, SourceEncryptionContext: { purpose: "test" }, DestinationKeyId: b.KeyId, DestinationEncryptionContext: { level: "2" } }),
    );
    expect(re).toMatchObject({ SourceKeyId: a.Arn, KeyId: b.Arn });
    const again = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { level: "2" } }));
    expect(again.KeyId).toBe(b.Arn);
    expect(Buffer.from(again.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);

    const record = await latestRecord(server.url, "ReEncrypt");
    expect(record).toMatchObject({
      readOnly: true,
      requestParameters: {
        sourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        sourceEncryptionContext: { purpose: "test" },
        destinationKeyId: b.KeyId,
        destinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        destinationEncryptionContext: { level: "2" },
      },
      resources: [
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: a.Arn },
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: b.Arn },
      ],
    });
    const gdk = (await lookupRecords(server.url, "EventName", "GenerateDataKey")).find((r) => !r.errorCode);
    expect(gdk).toMatchObject({ readOnly: true, responseElements: null, requestParameters: { keyId: a.KeyId, keySpec: "AES_256", encryptionContext: { purpose: "test" } } });
  });

  it("round-trips with boto3, as a Python application would", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const out = await boto3<{ text: string; keyId: string }>(
      server.url,
      `kms = boto3.client("kms")
blob = kms.encrypt(KeyId="${key.KeyId}", Plaintext=b"from python", EncryptionContext={"app": "py"})["CiphertextBlob"]
dec = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "py"})
try:
    kms.decrypt(CiphertextBlob=blob)
    raise SystemExit("decrypt without the context succeeded")
except kms.exceptions.InvalidCiphertextException:
    pass
print(json.dumps({"text": dec["Plaintext"].decode(), "keyId": dec["KeyId"]}))`,
    );
    expect(out).toEqual({ text: "from python", keyId: key.Arn });
  });
});

describe("KMS keys across a restart", () => {
  it("decrypts after a restart what was encrypted before it, the key material kept in the data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "localtrail-kms-"));
    try {
      let server = await startTestServer({ dataDir });
      let kms = new KMSClient(clientConfig(server.url));
      const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      await kms.send(new CreateAliasCommand({ AliasName: "alias/durable", TargetKeyId: key.KeyId }));
      const enc = await kms.send(new EncryptCommand({ KeyId: "alias/durable", Plaintext: Buffer.from("kept"), EncryptionContext: { k: "v" } }));
      await server.close();

      server = await startTestServer({ dataDir });
      kms = new KMSClient(clientConfig(server.url));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { k: "v" } }));
      expect(Buffer.from(dec.Plaintext!).toString("utf8")).toBe("kept");
      expect((await kms.send(new DescribeKeyCommand({ KeyId: "alias/durable" }))).KeyMetadata!.Arn).toBe(key.Arn);
      await server.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { decryptForService, describeKeyForService, encryptForService } from "../../emulated-services/kms/directory.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";

const ACCOUNT = "000000000000";

// What S3 (SSE-KMS trail log files) and CloudTrail (KmsKeyId checks) ask KMS, against keys made through the API.
describe("KMS as other services use it", () => {
  let server: TestServer;
  let kms: KMSClient;
  beforeAll(async () => {
    server = await startTestServer();
    kms = new KMSClient(clientConfig(server.url));
  });
  afterAll(() => server.close());
  const state = () => server.localtrail.store.view(new Set());
  const now = () => server.localtrail.clock.now();

  it("describes a key by any of its names, or nothing", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/svc", TargetKeyId: key.KeyId }));
    for (const name of [key.KeyId!, key.Arn!, "alias/svc", `arn:aws:kms:us-east-1:${ACCOUNT}:alias/svc`]) {
      expect(describeKeyForService(state(), ACCOUNT, "us-east-1", name, now())).toMatchObject({ keyId: key.KeyId, arn: key.Arn, region: "us-east-1", keyState: "Enabled" });
    }
    expect(describeKeyForService(state(), ACCOUNT, "eu-west-1", "alias/svc", now())).toBeUndefined();
    expect(describeKeyForService(state(), ACCOUNT, "us-east-1", "garbage", now())).toBeUndefined();
  });

  it("encrypts for a service what Decrypt opens with the same context, and the other way round", async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const context = { "aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` };
    const big = Buffer.alloc(100_000, 7);
    const sealed = encryptForService(state(), ACCOUNT, "us-east-1", key.KeyId!, big, context, now());
    expect(sealed.keyArn).toBe(key.Arn);
    expect(decryptForService(state(), sealed.ciphertext, context, now()).plaintext.equals(big)).toBe(true);
    expect(() => decryptForService(state(), sealed.ciphertext, {}, now())).toThrow(expect.objectContaining({ code: "InvalidCiphertextException" }));

    const small = encryptForService(state(), ACCOUNT, "us-east-1", key.Arn!, Buffer.from("log file"), context, now());
    const viaApi = await kms.send(new DecryptCommand({ CiphertextBlob: small.ciphertext, EncryptionContext: context }));
    expect(Buffer.from(viaApi.Plaintext!).toString()).toBe("log file");
    const fromApi = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("api"), EncryptionContext: context }));
    expect(decryptForService(state(), fromApi.CiphertextBlob!, context, now()).plaintext.toString()).toBe("api");

    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect(() => encryptForService(state(), ACCOUNT, "us-east-1", key.KeyId!, big, context, now())).toThrow(expect.objectContaining({ code: "DisabledException" }));
    expect(() => decryptForService(state(), sealed.ciphertext, context, now())).toThrow(expect.objectContaining({ code: "DisabledException" }));
  });
});

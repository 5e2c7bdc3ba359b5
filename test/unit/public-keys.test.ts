import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentSigningKey, publicKeysBetween } from "../../src/delivery/public-keys.js";
import { StateStore } from "../../src/state/store.js";

const DAY = 86400_000;

describe("digest-signing public keys", () => {
  it("makes one RSA-2048 key per region on first use, as PKCS#1 DER with an MD5 fingerprint and a 30-day window", async () => {
    const store = new StateStore(undefined);
    const view = store.view(new Set());
    const now = new Date("2026-11-24T10:00:00.500Z");
    const key = currentSigningKey(view, "us-east-1", now);
    expect(key.der.toString("base64")).toMatch(/^MIIBCgKCAQEA/);
    expect(key.fingerprint).toBe(createHash("md5").update(key.der).digest("hex"));
    expect(key.validFrom.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    expect(key.validTo.getTime() - key.validFrom.getTime()).toBe(30 * DAY);
    // The DER is the RSAPublicKey itself (not SubjectPublicKeyInfo) and verifies what the private key signs.
    const publicKey = createPublicKey({ key: key.der, format: "der", type: "pkcs1" });
    const signature = sign("sha256", Buffer.from("digest"), key.privateKey);
    expect(verify("sha256", Buffer.from("digest"), publicKey, signature)).toBe(true);
    expect(signature).toHaveLength(256);

    expect(currentSigningKey(view, "us-east-1", new Date(now.getTime() + DAY)).fingerprint).toBe(key.fingerprint);
    expect(currentSigningKey(view, "eu-west-1", now).fingerprint).not.toBe(key.fingerprint);
  });

  it("rotates before a key expires, with overlapping windows, and lists the keys valid in a range", () => {
    const view = new StateStore(undefined).view(new Set());
    const t0 = new Date("2026-01-01T00:00:00Z");
    const first = currentSigningKey(view, "us-east-1", t0);
    const t1 = new Date(t0.getTime() + 25 * DAY);
    const second = currentSigningKey(view, "us-east-1", t1);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.validFrom < first.validTo).toBe(true);

    const fingerprints = (start: Date, end: Date) => publicKeysBetween(view, "us-east-1", start, end, t1).map((k) => k.fingerprint);
    expect(fingerprints(t0, new Date(t0.getTime() + DAY))).toEqual([first.fingerprint]);
    expect(fingerprints(new Date(t1.getTime() + DAY), new Date(t1.getTime() + 2 * DAY))).toEqual([first.fingerprint, second.fingerprint]);
    expect(fingerprints(new Date(t0.getTime() + 40 * DAY), new Date(t0.getTime() + 41 * DAY))).toEqual([second.fingerprint]);
    expect(fingerprints(new Date("2020-01-01T00:00:00Z"), new Date("2020-02-01T00:00:00Z"))).toEqual([]);
  });

  it("keeps the keys in the data dir across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-keys-"));
    try {
      const now = new Date();
      const first = new StateStore(dir);
      await first.open();
      const touched = new Set<string>();
      const key = currentSigningKey(first.view(touched), "us-west-2", now);
      await first.persist(touched);

      const second = new StateStore(dir);
      await second.open();
      const again = currentSigningKey(second.view(new Set()), "us-west-2", now);
      expect(again.fingerprint).toBe(key.fingerprint);
      expect(sign("sha256", Buffer.from("x"), again.privateKey)).toEqual(sign("sha256", Buffer.from("x"), key.privateKey));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

/**
 * Real key pairs, in the forms EC2 hands out: an RSA key as a PKCS#1 PEM, an ED25519 key in OpenSSH's
 * format, either one as a PuTTY .ppk when asked; the public key as an OpenSSH line. Fingerprints as the
 * EC2 API reference defines them (KeyPairInfo.keyFingerprint): created RSA keys the SHA-1 of the DER
 * PKCS#8 private key, imported RSA keys the MD5 of the DER public key, ED25519 keys the base64 SHA-256
 * of the OpenSSH public key blob.
 */

export type KeyType = "rsa" | "ed25519";

export interface GeneratedKey {
  keyMaterial: string;
  fingerprint: string;
  publicKey: string;
}

export interface PublicKeyInfo {
  keyType: KeyType;
  fingerprint: string;
  publicKey: string;
}

export function generateKey(type: KeyType, format: "pem" | "ppk", comment: string): GeneratedKey {
  if (type === "rsa") {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const der = privateKey.export({ type: "pkcs8", format: "der" });
    return {
      keyMaterial:
        format === "ppk"
          ? ppk("ssh-rsa", publicBlob(publicKey), rsaPrivateBlob(privateKey), comment)
          : (privateKey.export({ type: "pkcs1", format: "pem" }) as string),
      fingerprint: colonHex(createHash("sha1").update(der).digest()),
      publicKey: opensshLine(publicKey),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  return {
    keyMaterial: format === "ppk" ? ppk("ssh-ed25519", publicBlob(publicKey), sshString(seed), comment) : opensshPrivateKey(pub, seed, comment),
    fingerprint: sha256Fingerprint(publicBlob(publicKey)),
    publicKey: opensshLine(publicKey),
  };
}

/** Reads an imported public key: an OpenSSH line (`ssh-rsa AAAA... comment`) or an RFC 4716 block. */
export function readPublicKey(material: Buffer): PublicKeyInfo | undefined {
  const text = material.toString("utf8").trim();
  const base64 = text.startsWith("---- BEGIN SSH2 PUBLIC KEY ----")
    ? text
        .split(/\r?\n/)
        .filter((line) => !line.startsWith("----") && !line.includes(":"))
        .join("")
    : text.split(/\s+/)[1];
  if (!base64 || !/^[A-Za-z0-9+/]+=*$/.test(base64)) return undefined;
  const blob = Buffer.from(base64, "base64");
  try {
    const fields = readSshStrings(blob);
    const kind = fields[0]?.toString("latin1");
    if (kind === "ssh-rsa" && fields.length === 3) {
      const key = createPublicKey({ key: { kty: "RSA", e: unsignedBase64url(fields[1]!), n: unsignedBase64url(fields[2]!) }, format: "jwk" });
      const der = key.export({ type: "spki", format: "der" });
      return { keyType: "rsa", fingerprint: colonHex(createHash("md5").update(der).digest()), publicKey: `ssh-rsa ${blob.toString("base64")}` };
    }
    if (kind === "ssh-ed25519" && fields.length === 2 && fields[1]!.length === 32) {
      return { keyType: "ed25519", fingerprint: sha256Fingerprint(blob), publicKey: `ssh-ed25519 ${blob.toString("base64")}` };
    }
  } catch {
    // not an SSH public key blob
  }
  return undefined;
}

const colonHex = (digest: Buffer) => [...digest].map((b) => b.toString(16).padStart(2, "0")).join(":");

const sha256Fingerprint = (blob: Buffer) => createHash("sha256").update(blob).digest("base64");

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function mpint(base64url: string): Buffer {
  let bytes = Buffer.from(base64url, "base64url");
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) bytes = bytes.subarray(1);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
}

const unsignedBase64url = (mp: Buffer) => (mp[0] === 0 ? mp.subarray(1) : mp).toString("base64url");

function readSshStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) throw new Error("truncated");
    out.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}

/** The public key in SSH wire form: `string type, mpint e, mpint n` or `string type, string key`. */
function publicBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (jwk.kty === "RSA") return Buffer.concat([sshString("ssh-rsa"), mpint(jwk.e!), mpint(jwk.n!)]);
  return Buffer.concat([sshString("ssh-ed25519"), sshString(Buffer.from(jwk.x!, "base64url"))]);
}

function opensshLine(key: KeyObject): string {
  const blob = publicBlob(key);
  return `${readSshStrings(blob)[0]!.toString("latin1")} ${blob.toString("base64")}`;
}

/** OpenSSH's `openssh-key-v1` container, unencrypted, as ssh-keygen writes an ED25519 key. */
function opensshPrivateKey(pub: Buffer, seed: Buffer, comment: string): string {
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (secret.length % 8)) % 8 }, (_, i) => i + 1));
  secret = Buffer.concat([secret, padding]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    Buffer.from([0, 0, 0, 1]),
    sshString(Buffer.concat([sshString("ssh-ed25519"), sshString(pub)])),
    sshString(secret),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString("base64"), 70)}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** The private half of an RSA key as PuTTY stores it: d, p, q, iqmp. */
function rsaPrivateBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  return Buffer.concat([mpint(jwk.d!), mpint(jwk.p!), mpint(jwk.q!), mpint(jwk.qi!)]);
}

/** PuTTY's key file, version 2, unencrypted; the MAC is HMAC-SHA-1 keyed by SHA-1 of a fixed phrase. */
function ppk(algorithm: string, publicKey: Buffer, privateKey: Buffer, comment: string): string {
  const macKey = createHash("sha1").update("putty-private-key-file-mac-key").digest();
  const macData = Buffer.concat([sshString(algorithm), sshString("none"), sshString(comment), sshString(publicKey), sshString(privateKey)]);
  const mac = createHmac("sha1", macKey).update(macData).digest("hex");
  const pub = wrap(publicKey.toString("base64"), 64).split("\n");
  const priv = wrap(privateKey.toString("base64"), 64).split("\n");
  return [
    `PuTTY-User-Key-File-2: ${algorithm}`,
    "Encryption: none",
    `Comment: ${comment}`,
    `Public-Lines: ${pub.length}`,
    ...pub,
    `Private-Lines: ${priv.length}`,
    ...priv,
    `Private-MAC: ${mac}`,
    "",
  ].join("\n");
}

const wrap = (text: string, width: number) => text.match(new RegExp(`.{1,${width}}`, "g"))!.join("\n");

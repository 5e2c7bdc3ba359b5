import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/core/serde";

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A SigV4-signed request built by hand, for tests that need to bend one detail (a wrong secret, a stale
 * date, a body that does not match its hash) that no SDK would send.
 */
export async function signRequest(options: {
  url: string;
  service: string;
  body: string;
  headers: Record<string, string>;
  method?: string;
  path?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  date?: Date;
}): Promise<SignedRequest> {
  const host = new URL(options.url).host;
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? "test", secretAccessKey: options.secretAccessKey ?? "test", sessionToken: options.sessionToken },
    region: options.region ?? "us-east-1",
    service: options.service,
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(
    { method: options.method ?? "POST", protocol: "http:", hostname: host.split(":")[0]!, path: options.path ?? "/", headers: { host, ...options.headers }, body: options.body },
    { signingDate: options.date },
  );
  return { method: options.method ?? "POST", path: options.path ?? "/", headers: signed.headers as Record<string, string>, body: options.body };
}

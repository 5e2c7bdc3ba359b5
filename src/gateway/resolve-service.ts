import type { ServiceMetadata } from "../types/model.js";
import type { RawRequest } from "../types/request-context.js";
import { sigV4Header } from "../auth/sigv4.js";

/** A request names a service we emulate, or one we do not (`sqs`, an unknown X-Amz-Target). */
export type ServiceMatch = { service: string } | { unknown: string };

/** The signals that name a service, indexed from the registered services' metadata. */
export class ServiceCatalog {
  private readonly bySigningName = new Map<string, string>();
  private readonly byTargetPrefix = new Map<string, string>();
  private readonly byQueryVersion = new Map<string, string>();
  private readonly restPathPrefixes: { service: string; pattern: RegExp }[] = [];
  readonly hasS3: boolean;

  constructor(services: Record<string, ServiceMetadata>) {
    for (const [name, m] of Object.entries(services)) {
      this.bySigningName.set(m.signingName ?? m.endpointPrefix, name);
      if (m.targetPrefix) {
        // botocore sends the model's targetPrefix; SDK v3 only its last dotted part (reference/protocols.md §1.3).
        this.byTargetPrefix.set(m.targetPrefix, name);
        this.byTargetPrefix.set(m.targetPrefix.slice(m.targetPrefix.lastIndexOf(".") + 1), name);
      }
      if (m.protocol === "query" || m.protocol === "ec2") this.byQueryVersion.set(m.apiVersion, name);
      // Lambda's REST paths all start with a dated segment.
      if (m.protocol === "rest-json") this.restPathPrefixes.push({ service: name, pattern: /^\/20\d\d-\d\d-\d\d\// });
    }
    this.hasS3 = services.s3 !== undefined;
  }

  /**
   * The service a request is for, from what is known before its body is read, in the order of
   * reference/protocols.md §1.1: signing name, S3's SigV2, X-Amz-Target, Action's Version in the query,
   * Lambda's dated paths, else S3. `params` are form parameters once the body has been read.
   */
  serviceFor(raw: RawRequest, query: URLSearchParams, params?: Map<string, string>): ServiceMatch | undefined {
    const known = (name: string | undefined, signal: string): ServiceMatch => (name ? { service: name } : { unknown: signal });
    const scope = signingScopeService(raw, query);
    if (scope !== undefined) return known(this.bySigningName.get(scope), scope);
    if (isSigV2(raw, query)) return this.hasS3 ? { service: "s3" } : undefined;
    const target = raw.headers["x-amz-target"];
    if (target) return known(this.byTargetPrefix.get(target.slice(0, target.lastIndexOf("."))), target);
    const version = params?.get("Version") ?? query.get("Version");
    if ((params?.has("Action") || query.has("Action")) && version) return known(this.byQueryVersion.get(version), `Version ${version}`);
    for (const prefix of this.restPathPrefixes) if (prefix.pattern.test(raw.path)) return { service: prefix.service };
    return this.hasS3 ? { service: "s3" } : undefined;
  }

  /** A form body may carry Action and Version: worth reading before deciding. */
  static mayCarryAction(raw: RawRequest): boolean {
    return raw.method === "POST" && (raw.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  }
}

/** The service of the SigV4 credential scope, from the Authorization header or a presigned query. */
function signingScopeService(raw: RawRequest, query: URLSearchParams): string | undefined {
  const header = sigV4Header(raw);
  const credential = header ? header.credential : (query.get("X-Amz-Credential") ?? undefined);
  const parts = credential?.split("/");
  // A scope that is not key/date/region/service/aws4_request names nothing; auth will call it malformed.
  return parts?.length === 5 && parts[4] === "aws4_request" ? parts[3] : undefined;
}

function isSigV2(raw: RawRequest, query: URLSearchParams): boolean {
  return (raw.headers["authorization"] ?? "").startsWith("AWS ") || (query.has("AWSAccessKeyId") && query.has("Signature"));
}

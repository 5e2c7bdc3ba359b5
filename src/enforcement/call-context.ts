import { callerArn, type Caller } from "../types/caller.js";
import type { RequestContext } from "./policy/request-context.js";

/** The facts of a call that global condition keys are made of. */
export interface CallFacts {
  caller: Caller;
  /** aws:PrincipalTag/<key>. */
  principalTags?: Record<string, string>;
  /** aws:CurrentTime, aws:EpochTime: the emulated time of the request. */
  time: Date;
  sourceIp: string;
  userAgent?: string;
  referer?: string;
  /** aws:RequestedRegion: the region called (IAM and STS: us-east-1). */
  region: string;
  /** TLS is not served locally: aws:SecureTransport is false. */
  secureTransport: boolean;
  /** aws:RequestTag/<key>, aws:TagKeys. */
  requestTags?: Map<string, string>;
}

/** The resource-side facts of one resource a call acts on. */
export interface ResourceContextFacts {
  account?: string;
  tags?: Record<string, string>;
}

/**
 * The request context of one action on one resource (reference/iam-enforcement.md §2.6): the global keys a
 * local call can have, the action's service keys, the resource's tags. Keys are worked out on first use:
 * most statements have no condition at all.
 */
export class CallContext implements RequestContext {
  constructor(
    private readonly facts: CallFacts,
    private readonly serviceKeys: Record<string, string[]>,
    private readonly resource: ResourceContextFacts,
  ) {}

  values(key: string): readonly string[] | undefined {
    const k = key.toLowerCase();
    const slash = k.indexOf("/");
    if (slash > 0) return this.tagValue(k.slice(0, slash), key.slice(slash + 1));
    const value = this.globalKey(k);
    if (value !== undefined || k.startsWith("aws:")) return typeof value === "string" ? [value] : value;
    for (const name in this.serviceKeys) if (name.toLowerCase() === k) return this.serviceKeys[name];
    return undefined;
  }

  private tagValue(prefix: string, tagKey: string): readonly string[] | undefined {
    const find = (tags: Iterable<[string, string]> | undefined) => {
      if (!tags) return undefined;
      // Tag keys in condition keys match regardless of case (aws:ResourceTag/TagKey1 matches tagkey1).
      for (const [k, v] of tags) if (k.toLowerCase() === tagKey.toLowerCase()) return [v];
      return undefined;
    };
    switch (prefix) {
      case "aws:principaltag":
        return find(this.facts.principalTags && Object.entries(this.facts.principalTags));
      case "aws:resourcetag":
        return find(this.resource.tags && Object.entries(this.resource.tags));
      case "aws:requesttag":
        return find(this.facts.requestTags);
      default: {
        const service = Object.entries(this.serviceKeys).find(([name]) => name.toLowerCase() === `${prefix}/${tagKey.toLowerCase()}`);
        return service?.[1];
      }
    }
  }

  /** A global key (lower-cased name), worked out when a condition asks for it. */
  private globalKey(k: string): string | readonly string[] | undefined {
    const f = this.facts;
    const caller = f.caller;
    const principal = caller.type !== "AWSService" && caller.type !== "WebIdentityUser" ? caller : undefined;
    switch (k) {
      case "aws:currenttime":
        return isoSeconds(f.time);
      case "aws:epochtime":
        return String(Math.floor(f.time.getTime() / 1000));
      case "aws:sourceip":
        return /^[\d.]+$|:/.test(f.sourceIp) ? f.sourceIp.replace(/^::ffff:(?=\d+\.)/, "") : undefined;
      case "aws:securetransport":
        return String(f.secureTransport);
      case "aws:useragent":
        return f.userAgent;
      case "aws:referer":
        return f.referer;
      case "aws:requestedregion":
        return f.region;
      case "aws:resourceaccount":
        return this.resource.account;
      case "aws:tagkeys":
        return f.requestTags && [...f.requestTags.keys()];
      case "aws:principalisawsservice":
        return String(caller.type === "AWSService");
      case "aws:principalservicename":
        return caller.type === "AWSService" ? caller.invokedBy : undefined;
      // A service acting for a resource of an account (EventBridge for a rule, S3 for a bucket).
      case "aws:sourcearn":
        return caller.type === "AWSService" ? caller.sourceArn : undefined;
      case "aws:sourceaccount":
        return caller.type === "AWSService" && caller.sourceArn ? caller.accountId : undefined;
      case "aws:viaawsservice":
        return principal && "false";
      case "aws:principalaccount":
        return principal?.accountId;
      case "aws:principalarn":
        return principal && (principal.type === "AssumedRole" ? principal.roleArn : callerArn(principal));
      case "aws:principaltype":
        return principal && { Root: "Account", IAMUser: "User", AssumedRole: "AssumedRole" }[principal.type];
      case "aws:userid":
        if (!principal) return undefined;
        return principal.type === "Root" ? principal.accountId : principal.type === "IAMUser" ? principal.userId : `${principal.roleId}:${principal.sessionName}`;
      case "aws:username":
        return principal?.type === "IAMUser" ? principal.userName : undefined;
      // Present only for temporary credentials (IAM User Guide, "AWS global condition context keys").
      case "aws:multifactorauthpresent":
        return principal?.session && String(principal.session.mfaAuthenticated);
      case "aws:tokenissuetime":
        return principal?.session && isoSeconds(new Date(principal.session.createdAt));
      case "aws:sourceidentity":
        return principal?.session?.sourceIdentity;
      default:
        return undefined;
    }
  }
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

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
  private keys?: Map<string, readonly string[]>;

  constructor(
    private readonly facts: CallFacts,
    private readonly serviceKeys: Record<string, string[]>,
    private readonly resource: ResourceContextFacts,
  ) {}

  values(key: string): readonly string[] | undefined {
    const k = key.toLowerCase();
    const slash = k.indexOf("/");
    if (slash > 0) return this.tagValue(k.slice(0, slash), key.slice(slash + 1));
    this.keys ??= this.build();
    return this.keys.get(k);
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

  private build(): Map<string, readonly string[]> {
    const f = this.facts;
    const caller = f.caller;
    const keys = new Map<string, readonly string[]>();
    const set = (k: string, v: string | readonly string[] | undefined) => {
      if (v !== undefined) keys.set(k.toLowerCase(), typeof v === "string" ? [v] : v);
    };
    set("aws:CurrentTime", f.time.toISOString().replace(/\.\d{3}Z$/, "Z"));
    set("aws:EpochTime", String(Math.floor(f.time.getTime() / 1000)));
    if (/^[\d.]+$|:/.test(f.sourceIp)) set("aws:SourceIp", f.sourceIp.replace(/^::ffff:(?=\d+\.)/, ""));
    set("aws:SecureTransport", String(f.secureTransport));
    set("aws:UserAgent", f.userAgent);
    set("aws:referer", f.referer);
    set("aws:RequestedRegion", f.region);
    set("aws:ResourceAccount", this.resource.account);
    if (f.requestTags) set("aws:TagKeys", [...f.requestTags.keys()]);
    if (caller.type === "AWSService") {
      set("aws:PrincipalIsAWSService", "true");
      set("aws:PrincipalServiceName", caller.invokedBy);
    } else {
      set("aws:PrincipalIsAWSService", "false");
      set("aws:ViaAWSService", "false");
      set("aws:PrincipalAccount", caller.accountId);
      set("aws:PrincipalArn", caller.type === "AssumedRole" ? caller.roleArn : callerArn(caller));
      set("aws:PrincipalType", { Root: "Account", IAMUser: "User", AssumedRole: "AssumedRole" }[caller.type]);
      set("aws:userid", caller.type === "Root" ? caller.accountId : caller.type === "IAMUser" ? caller.userId : `${caller.roleId}:${caller.sessionName}`);
      if (caller.type === "IAMUser") set("aws:username", caller.userName);
      if (caller.session) {
        // Present only for temporary credentials (IAM User Guide, "AWS global condition context keys").
        set("aws:MultiFactorAuthPresent", String(caller.session.mfaAuthenticated));
        set("aws:TokenIssueTime", new Date(caller.session.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"));
        set("aws:SourceIdentity", caller.session.sourceIdentity);
      }
    }
    for (const [k, v] of Object.entries(this.serviceKeys)) set(k, v);
    return keys;
  }
}

import type { ArnContext, ServiceAuthorization } from "../../src/types/authorization.js";
import { busName, DEFAULT_BUS } from "./state.js";

/**
 * How EventBridge's calls are authorized (Service Authorization Reference, Amazon EventBridge): rule
 * actions on the rule (its ARN has the bus in it unless the bus is the default one), bus actions on the
 * bus, tags on the ARN given, listings and TestEventPattern on `*`.
 */
type Input = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function rule(input: Input): { bus: string; name: string } | undefined {
  const name = str(input.Name) ?? str(input.Rule);
  if (name !== undefined) return { bus: busName(str(input.EventBusName)), name };
  const arn = str(input.ResourceARN);
  const m = arn && /:rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  return m ? { bus: m[1] ?? DEFAULT_BUS, name: m[2]! } : undefined;
}

const ruleOn = (onDefault: boolean) => (input: Input, ctx: ArnContext) => {
  const r = rule(input);
  if (!r || (r.bus === DEFAULT_BUS) !== onDefault) return undefined;
  return [`arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${onDefault ? "" : `${r.bus}/`}${r.name}`];
};

function bus(input: Input, ctx: ArnContext): string[] | undefined {
  const arn = str(input.ResourceARN);
  if (arn !== undefined) return arn.includes(":event-bus/") ? [arn] : undefined;
  const names = Array.isArray(input.Entries) ? input.Entries.map((e) => busName(str((e as Input).EventBusName))) : [busName(str(input.Name) ?? str(input.EventBusName))];
  return [...new Set(names)].map((n) => `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${n}`);
}

export const eventsAuthorization: ServiceAuthorization = {
  prefix: "events",
  variables: {},
  resolvers: {
    "rule-on-default-event-bus": ruleOn(true),
    "rule-on-custom-event-bus": ruleOn(false),
    "event-bus": bus,
    "event-busv2": () => undefined,
    "event-sourcev2": () => undefined,
    subscriber: () => undefined,
  },
  requestTags: ["Tags"],
  denial: { code: "AccessDeniedException", status: 400, recordedCode: "AccessDenied", noResource: "star" },
};

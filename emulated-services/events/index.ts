import type { Operations, PutEventsRequest } from "../../src/generated/types/events.js";
import { defineService } from "../../src/registry.js";
import type { AuditView } from "../../src/types/service.js";
import { eventsAuthorization } from "./authorization.js";
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from "./buses.js";
import { putEvents } from "./put-events.js";
import { deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule } from "./rules.js";
import { eventsRuntime } from "./runtime/events-runtime.js";
import { busArn, busName } from "./state.js";
import { listTagsForResource, tagResource, untagResource } from "./tags.js";
import { listTargetsByRule, putTargets, removeTargets } from "./targets.js";
import { testEventPattern } from "./test-event-pattern.js";

/**
 * Amazon EventBridge: the operation table. Rule and target changes are management events; PutEvents is
 * a data event on the buses it puts to (CloudTrail logs it only for trails that select EventBridge data
 * events). Every recorded call also reaches the buses as "AWS API Call via CloudTrail" (runtime/).
 */
export const events = defineService<Operations>({
  name: "events",
  eventSource: "events.amazonaws.com",
  validation: { code: "ValidationException", constraints: true },
  authorization: eventsAuthorization,
  audit: { resourceMembers: { Name: "AWS::Events::Rule", Rule: "AWS::Events::Rule" } },
  start: ({ store, env }) => eventsRuntime(env, store),
  operations: {
    CreateEventBus: { handler: createEventBus },
    DescribeEventBus: { handler: describeEventBus },
    ListEventBuses: { handler: listEventBuses },
    DeleteEventBus: { handler: deleteEventBus },

    PutRule: { handler: putRule },
    DescribeRule: { handler: describeRule },
    ListRules: { handler: listRules },
    EnableRule: { handler: enableRule },
    DisableRule: { handler: disableRule },
    DeleteRule: { handler: deleteRule },
    ListRuleNamesByTarget: { handler: listRuleNamesByTarget },

    PutTargets: { handler: putTargets },
    RemoveTargets: { handler: removeTargets },
    ListTargetsByRule: { handler: listTargetsByRule },

    PutEvents: {
      handler: putEvents,
      audit: {
        category: "Data",
        readOnly: false,
        resources: (call: AuditView<PutEventsRequest, unknown>) =>
          [...new Set((call.input?.Entries ?? []).map((e) => busName(e.EventBusName)))].map((name) => ({ accountId: call.accountId, type: "AWS::Events::EventBus", ARN: busArn(call.region, call.accountId, name) })),
      },
    },
    TestEventPattern: { handler: testEventPattern, audit: { readOnly: true } },

    TagResource: { handler: tagResource },
    UntagResource: { handler: untagResource },
    ListTagsForResource: { handler: listTagsForResource },
  },
});

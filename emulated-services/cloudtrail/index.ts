import type { Operations } from "../../src/generated/types/cloudtrail.js";
import { defineService } from "../../src/registry.js";
import { lookupEvents } from "./lookup-events.js";

/** CloudTrail: the operation table. */
export const cloudtrail = defineService<Operations>({
  name: "cloudtrail",
  eventSource: "cloudtrail.amazonaws.com",
  // CloudTrail checks its inputs itself, with its own exceptions (InvalidMaxResultsException, ...).
  validation: { code: "InvalidParameterException", constraints: false },
  audit: { resourceMembers: { Name: "AWS::CloudTrail::Trail", TrailName: "AWS::CloudTrail::Trail" } },
  operations: {
    LookupEvents: { handler: lookupEvents },
  },
});

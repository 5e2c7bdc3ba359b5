import { describe, expect, it } from "vitest";
import { compilePattern, PatternError } from "../../emulated-services/events/pattern/compile-pattern.js";
import { matchesPattern } from "../../emulated-services/events/pattern/match-pattern.js";

/**
 * The examples of the EventBridge User Guide ("Creating Amazon EventBridge event patterns", "Content
 * filtering in Amazon EventBridge event patterns", "Comparison operators for use in event patterns"),
 * each matched against the guide's events.
 */
const matches = (pattern: unknown, event: unknown) => matchesPattern(compilePattern(JSON.stringify(pattern)), event);
const refusal = (pattern: string) => {
  try {
    compilePattern(pattern);
  } catch (e) {
    if (e instanceof PatternError) return e.message;
    throw e;
  }
  return undefined;
};

// The guide's sample event (EC2 Instance State-change Notification).
const ec2Event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": " i-1234567890abcdef0", state: "terminated" },
};

describe("event patterns match as the EventBridge User Guide documents", () => {
  it("matches exact values, each field's list being alternatives and the fields all required", () => {
    expect(matches({ source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] }, ec2Event)).toBe(true);
    expect(matches({ source: ["aws.ec2"], detail: { state: ["pending", "running"] } }, ec2Event)).toBe(false);
    expect(matches({ source: ["aws.ec2"], detail: { state: ["pending", "terminated"] } }, ec2Event)).toBe(true);
    // Matching is case-sensitive and exact to the character.
    expect(matches({ source: ["AWS.EC2"] }, ec2Event)).toBe(false);
  });

  it("matches an array in the event when any element is among the pattern's values", () => {
    const pattern = { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"] };
    expect(matches(pattern, ec2Event)).toBe(true);
    expect(matches({ resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] }, ec2Event)).toBe(false);
  });

  it("matches null and empty strings only as such", () => {
    const event = { detail: { eventVersion: "", responseElements: null } };
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [""] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matches({ detail: { missing: [null] } }, event)).toBe(false);
  });

  it("prefix and suffix, also ignoring case", () => {
    expect(matches({ time: [{ prefix: "2017-12-22" }] }, ec2Event)).toBe(true);
    expect(matches({ time: [{ prefix: "2017-10-02" }] }, ec2Event)).toBe(false);
    expect(matches({ detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, { detail: { service: "eventbridge" } })).toBe(true);
    expect(matches({ FileName: [{ suffix: ".png" }] }, { FileName: "image.png" })).toBe(true);
    expect(matches({ FileName: [{ suffix: ".png" }] }, { FileName: "image.PNG" })).toBe(false);
    expect(matches({ detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } }, { detail: { FileName: "image.PNG" } })).toBe(true);
  });

  it("anything-but: a value, a list, a number, a prefix, a suffix, ignoring case, a wildcard", () => {
    const state = (s: unknown) => ({ detail: { state: s } });
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, state("running"))).toBe(true);
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, state("initializing"))).toBe(false);
    expect(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, { detail: { "x-limit": 456 } })).toBe(true);
    expect(matches({ detail: { "x-limit": [{ "anything-but": 123 }] } }, { detail: { "x-limit": 123 } })).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, state("stopped"))).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, state("running"))).toBe(true);
    expect(matches({ detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, { detail: { "x-limit": 200 } })).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": { prefix: "init" } }] } }, state("initializing"))).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": { prefix: "init" } }] } }, state("running"))).toBe(true);
    expect(matches({ detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } }, { detail: { FileName: "notes.txt" } })).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } }, state("STOPPED"))).toBe(false);
    expect(matches({ detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } }, state("running"))).toBe(true);
    expect(matches({ detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, { detail: { FilePath: "/usr/lib/x.so" } })).toBe(false);
    expect(matches({ detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, { detail: { FilePath: "/usr/bin/x" } })).toBe(true);
    // Anything-but needs a value there: an absent field is not "anything but".
    expect(matches({ detail: { state: [{ "anything-but": "initializing" }] } }, { detail: {} })).toBe(false);
  });

  it("numeric ranges over numbers only", () => {
    const pattern = { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } };
    expect(matches(pattern, { detail: { "c-count": 5, "d-count": 7, "x-limit": 301.8 } })).toBe(true);
    expect(matches(pattern, { detail: { "c-count": 0, "d-count": 7, "x-limit": 301.8 } })).toBe(false);
    expect(matches(pattern, { detail: { "c-count": 5, "d-count": 10, "x-limit": 301.8 } })).toBe(false);
    expect(matches(pattern, { detail: { "c-count": "5", "d-count": 7, "x-limit": 301.8 } })).toBe(false);
    expect(matches({ detail: { equal: [{ numeric: [">=", 5, "<", 10] }] } }, { detail: { equal: 5 } })).toBe(true);
    // A number written as a value matches the same number however the event writes it.
    expect(matches({ detail: { "x-limit": [301.8] } }, { detail: { "x-limit": 3.018e2 } })).toBe(true);
  });

  it("IP addresses: cidr blocks, IPv4 and IPv6", () => {
    expect(matches({ detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, { detail: { sourceIPAddress: "10.0.0.255" } })).toBe(true);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, { detail: { sourceIPAddress: "10.0.1.0" } })).toBe(false);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: "bcde:6789:901a:2cde:d420:2bc5:dc74:fe3e/64" }] } }, { detail: { sourceIPAddress: "bcde:6789:901a:2cde:ffff::1" } })).toBe(true);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, { detail: { sourceIPAddress: "AWS Internal" } })).toBe(false);
  });

  it("exists works on leaves: present, absent, and an object is no value", () => {
    const event = { detail: { state: "running", "c-count": { nested: 1 } } };
    expect(matches({ detail: { state: [{ exists: true }] } }, event)).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, event)).toBe(false);
    expect(matches({ detail: { "x-limit": [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { "c-count": [{ exists: true }] } }, event)).toBe(false);
    expect(matches({ detail: { "c-count": { nested: [{ exists: true }] } } }, event)).toBe(true);
  });

  it("equals-ignore-case and wildcard", () => {
    expect(matches({ "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] }, ec2Event)).toBe(true);
    expect(matches({ EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] }, { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default" })).toBe(true);
    expect(matches({ EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] }, { EventBusArn: "arn:aws:events:us-west-2:123456789012:event-bus/default" })).toBe(false);
    expect(matches({ path: [{ wildcard: "a\\*b" }] }, { path: "a*b" })).toBe(true);
    expect(matches({ path: [{ wildcard: "a\\*b" }] }, { path: "axb" })).toBe(false);
  });

  it("$or between fields, and nested under a field", () => {
    const pattern = { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }] };
    expect(matches(pattern, { source: "aws.cloudwatch", metricName: "ReadLatency" })).toBe(true);
    expect(matches(pattern, { source: "aws.cloudwatch", namespace: "AWS/ES" })).toBe(true);
    expect(matches(pattern, { source: "aws.cloudwatch", namespace: "AWS/RDS" })).toBe(false);
    const nested = { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }, { "x-limit": [{ numeric: ["=", 3.018e2] }] }] } };
    expect(matches(nested, { detail: { "d-count": 3 } })).toBe(true);
    expect(matches(nested, { detail: { "d-count": 30 } })).toBe(false);
  });

  it("nested objects in arrays: one pattern object's fields hold in the same element", () => {
    const event = { detail: { items: [{ name: "a", size: 1 }, { name: "b", size: 2 }] } };
    expect(matches({ detail: { items: { name: ["b"], size: [2] } } }, event)).toBe(true);
    expect(matches({ detail: { items: { name: ["a"], size: [2] } } }, event)).toBe(false);
  });

  it("the CloudTrail patterns of intrusion detection", () => {
    const record = { source: "aws.iam", "detail-type": "AWS API Call via CloudTrail", detail: { eventSource: "iam.amazonaws.com", eventName: "AttachUserPolicy", requestParameters: { userName: "mallory", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, userIdentity: { type: "Root" } } };
    expect(matches({ source: ["aws.iam"], detail: { eventName: ["AttachUserPolicy"], requestParameters: { policyArn: [{ suffix: "/AdministratorAccess" }] } } }, record)).toBe(true);
    expect(matches({ "detail-type": ["AWS Console Sign In via CloudTrail", "AWS API Call via CloudTrail"], detail: { userIdentity: { type: ["Root"] } } }, record)).toBe(true);
    expect(matches({ detail: { errorCode: [{ exists: true }] } }, record)).toBe(false);
  });
});

describe("invalid patterns are refused with AWS's reasons", () => {
  it.each([
    ['"source"', "Filter is not an object"],
    ['{"source": "aws.ec2"}', '"source" must be an object or an array'],
    ['{"detail": {"pipeline": {"slug": "some-pipeline"}}}', '"slug" must be an object or an array'],
    ['{"source": ["aws.health"], "detail": {}}', "Empty objects are not allowed"],
    ['{"source": []}', "Empty arrays are not allowed"],
    ['{"a": [{"suffix": ["x"]}]}', "suffix match pattern must be a string"],
    ['{"a": [{"prefix": 1}]}', "prefix match pattern must be a string"],
    ['{"a": [{"foo": "x"}]}', "Unrecognized match type foo"],
    ['{"a": [{"prefix": "x", "suffix": "y"}]}', "Only one key allowed in match expression"],
    ['{"a": [{"numeric": [">", "5"]}]}', "Value of > must be numeric"],
    ['{"a": [{"numeric": ["~", 5]}]}', "Unrecognized numeric range operator: ~"],
    ['{"a": [{"numeric": [">", 5, ">", 6]}]}', "Bad numeric range operator: >"],
    ['{"a": [{"numeric": "5"}]}', "Value of numeric must be an array."],
    ['{"a": [{"anything-but": ["a", 1]}]}', "Inside anything but list, either all values are number or string, mixed type is not supported"],
    ['{"a": [{"anything-but": {"contains": "a"}}]}', "Unsupported anything-but pattern: contains"],
    ['{"a": [{"exists": "yes"}]}', "exists match pattern must be either true or false."],
    ['{"a": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
    ['{"a": [{"cidr": "10.0.0.0/32"}]}', "IPv4 mask bits must be < 32"],
    ['{"a": [{"wildcard": "a**b"}]}', "Consecutive wildcard characters at pos 2"],
    ['{"$or": [{"a": ["x"]}]}', "There must have at least 2 Objects in $or relationship."],
    ['{"$or": {"a": ["x"]}}', "It must be an Array followed with $or."],
  ])("%s: %s", (pattern, reason) => {
    expect(refusal(pattern)).toBe(reason);
  });

  it("text that is not JSON is refused", () => {
    expect(refusal("{source: [x]}")).toBeDefined();
  });
});

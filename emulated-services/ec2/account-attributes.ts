import type { AccountAttribute } from "../../src/generated/types/ec2.js";
import type { Op } from "./op.js";
import { ec2State } from "./region-state.js";

/** DescribeAccountAttributes, with the quotas of a new account and the region's default VPC. */
export const describeAccountAttributes: Op<"DescribeAccountAttributes"> = (input, ctx) => {
  const state = ec2State(ctx);
  const values: [string, string[]][] = [
    ["vpc-max-security-groups-per-interface", ["5"]],
    ["max-instances", ["20"]],
    ["supported-platforms", ["VPC"]],
    ["default-vpc", [state.defaultVpcId ?? "none"]],
    ["max-elastic-ips", ["5"]],
    ["vpc-max-elastic-ips", ["5"]],
  ];
  const wanted = input.AttributeNames ?? [];
  const attributes: AccountAttribute[] = values
    .filter(([name]) => wanted.length === 0 || wanted.includes(name as (typeof wanted)[number]))
    .map(([name, v]) => ({ AttributeName: name, AttributeValues: v.map((AttributeValue) => ({ AttributeValue })) }));
  return { AccountAttributes: attributes };
};

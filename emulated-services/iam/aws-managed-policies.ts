import { createHash } from "node:crypto";
import catalogue from "./aws-managed-policies.json" with { type: "json" };

/**
 * The AWS managed policies every account sees (arn:aws:iam::aws:policy/...). aws-managed-policies.json holds,
 * per policy, what GetPolicy and GetPolicyVersion return: name, path, policy id, default version, the dates
 * the policy and its default version were created, the description and the default version's document,
 * with its keys in the order of the AWS managed policy reference (docs.aws.amazon.com/aws-managed-policy),
 * which the versions, dates and descriptions were checked against.
 */
export interface AwsManagedPolicy {
  policyName: string;
  policyId: string;
  path: string;
  arn: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  description: string;
  /**
   * The default version's document as IAM stores AWS's documents: pretty-printed with four spaces (what
   * GetPolicyVersion decodes to, e.g. "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [...").
   */
  document: string;
}

interface CatalogueEntry {
  PolicyName: string;
  PolicyId: string | null;
  Path: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Description: string;
  Document: unknown;
}

// The real ids of the few policies whose id no public source shows: a stable id of AWS's form instead
// (AWS managed policies created since 2019 share the ANPAZKAPJZG4 prefix).
const standInId = (name: string) =>
  "ANPAZKAPJZG4" + createHash("sha256").update(name).digest("base64").replace(/[^A-Z2-7]/g, "").slice(0, 9).padEnd(9, "A");

const policies = new Map<string, AwsManagedPolicy>(
  (catalogue as CatalogueEntry[]).map((p) => {
    const arn = `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}`;
    return [
      arn,
      {
        policyName: p.PolicyName,
        policyId: p.PolicyId ?? standInId(p.PolicyName),
        path: p.Path,
        arn,
        defaultVersionId: p.DefaultVersionId,
        createDate: p.CreateDate,
        updateDate: p.UpdateDate,
        description: p.Description,
        document: JSON.stringify(p.Document, null, 4),
      },
    ];
  }),
);

/** The AWS managed policy an ARN names, if the catalogue holds it. */
export const findAwsManagedPolicy = (arn: string): AwsManagedPolicy | undefined => policies.get(arn);

export const awsManagedPolicies = (): AwsManagedPolicy[] => [...policies.values()];

/** ARNs in AWS's own namespace (arn:aws:iam::aws:policy/...), known to the catalogue or not. */
export const isAwsManagedArn = (arn: string) => /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);

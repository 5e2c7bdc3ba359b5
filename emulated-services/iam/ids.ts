import type { Ids } from "../../src/types/service.js";

/**
 * IAM unique ids: a four-letter prefix naming the kind of entity, then 17 upper-case characters
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
 */
export const uniqueId = (ids: Ids, prefix: "AIDA" | "AROA" | "AGPA" | "ANPA" | "AIPA") => prefix + ids.upperAlnum(17);

/** Long-term access key ids are AKIA + 16 characters; secrets 40 characters. */
export const accessKeyId = (ids: Ids) => "AKIA" + ids.upperAlnum(16);
export const secretAccessKey = (ids: Ids) => ids.alnum(40);

export const iamArn = (accountId: string, kind: "user" | "role" | "group" | "policy" | "instance-profile", path: string, name: string) =>
  `arn:aws:iam::${accountId}:${kind}${path}${name}`;

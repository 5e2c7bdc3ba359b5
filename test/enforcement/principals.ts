import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand, type Tag,
} from "@aws-sdk/client-iam";
import type { AwsCredentialIdentity } from "@smithy/types";
import { clientConfig, ROOT } from "../helpers/clients.js";

/** A statement list as a policy document. */
export const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/**
 * An IAM user made by an account's root, with inline policies, managed policies, tags and a boundary, and its
 * own access key: how a test gets a principal whose calls enforcement decides.
 */
export async function userWith(
  url: string,
  name: string,
  options: { inline?: object[][]; managed?: string[]; tags?: Tag[]; boundary?: string; root?: AwsCredentialIdentity } = {},
): Promise<AwsCredentialIdentity> {
  const iam = new IAMClient(clientConfig(url, options.root ?? ROOT));
  await iam.send(new CreateUserCommand({ UserName: name, Tags: options.tags, PermissionsBoundary: options.boundary }));
  for (const [i, statements] of (options.inline ?? []).entries()) {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `p${i}`, PolicyDocument: policy(...statements) }));
  }
  for (const arn of options.managed ?? []) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

import { AwsError } from "../../src/types/aws-error.js";

/** KMS's errors, by the model's shape names (the model gives each its status). */
export const notFound = (message: string) => new AwsError("NotFoundException", message);
export const keyNotFound = (keyArn: string) => notFound(`Key '${keyArn}' does not exist`);
export const aliasNotFound = (aliasArn: string) => notFound(`Alias ${aliasArn} is not found.`);
export const disabled = (keyArn: string) => new AwsError("DisabledException", `${keyArn} is disabled.`);
export const invalidState = (message: string) => new AwsError("KMSInvalidStateException", message);
export const pendingDeletion = (keyArn: string) => invalidState(`${keyArn} is pending deletion.`);
export const alreadyExists = (message: string) => new AwsError("AlreadyExistsException", message);
export const validation = (message: string) => new AwsError("ValidationException", message);
// KMS answers a ciphertext it cannot open with an empty message.
export const invalidCiphertext = () => new AwsError("InvalidCiphertextException", "");
export const malformedPolicy = (message: string) => new AwsError("MalformedPolicyDocumentException", message);
export const tagError = (message: string) => new AwsError("TagException", message);
export const unsupported = (message: string) => new AwsError("UnsupportedOperationException", message);
export const accessDenied = (message: string) => new AwsError("AccessDeniedException", message);
export const invalidKeyUsage = (message: string) => new AwsError("InvalidKeyUsageException", message);
export const incorrectKey = () =>
  new AwsError("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");

import { AwsError } from "../../src/types/aws-error.js";
import { callerArn, type Caller } from "../../src/types/caller.js";

/** IAM's errors, by the model's shape names (the wire code and status come from the model). */
export const noSuchEntity = (message: string) => new AwsError("NoSuchEntityException", message);
export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExistsException", message);
export const deleteConflict = (message: string) => new AwsError("DeleteConflictException", message);
export const limitExceeded = (message: string) => new AwsError("LimitExceededException", message);
export const invalidInput = (message: string) => new AwsError("InvalidInputException", message);
export const malformedPolicyDocument = (message: string) => new AwsError("MalformedPolicyDocumentException", message);

/** IAM's own checks that are not the model's constraints still answer ValidationError (400), e.g. a malformed policy ARN. */
export const validationError = (message: string) => new AwsError("ValidationError", message, { status: 400, recordedCode: "ValidationException" });

export const noSuchUser = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string) => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const noSuchPolicyVersion = (arn: string, versionId: string) =>
  noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
/** Detaching (or tagging) a policy the entity does not hold, or that does not exist at all. */
export const policyNotFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);

/** AWS managed policies belong to AWS: even an account's root is implicitly denied changing them. */
export const awsManagedPolicyDenied = (caller: Caller, action: string, arn: string) =>
  new AwsError("AccessDenied", `User: ${callerArn(caller)} is not authorized to perform: iam:${action} on resource: policy ${arn}`, { status: 403 });

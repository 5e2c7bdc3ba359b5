import { AwsError } from "../../src/types/aws-error.js";

/** IAM's errors, by the model's shape names (the wire code and status come from the model). */
export const noSuchEntity = (message: string) => new AwsError("NoSuchEntityException", message);
export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExistsException", message);
export const deleteConflict = (message: string) => new AwsError("DeleteConflictException", message);
export const limitExceeded = (message: string) => new AwsError("LimitExceededException", message);
export const invalidInput = (message: string) => new AwsError("InvalidInputException", message);
export const malformedPolicyDocument = (message: string) => new AwsError("MalformedPolicyDocumentException", message);

export const noSuchUser = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string) => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);

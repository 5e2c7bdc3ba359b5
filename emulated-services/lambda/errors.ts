import { AwsError } from "../../src/types/aws-error.js";

/** Lambda's errors, by the model's shape names (the status comes from the model), with AWS's messages. */
export const invalidParameter = (message: string) => new AwsError("InvalidParameterValueException", message);
export const resourceNotFound = (message: string) => new AwsError("ResourceNotFoundException", message);
export const resourceConflict = (message: string) => new AwsError("ResourceConflictException", message);

export const functionNotFound = (arn: string) => resourceNotFound(`Function not found: ${arn}`);
export const aliasNotFound = (arn: string) => resourceNotFound(`Cannot find alias arn: ${arn}`);
export const functionExists = (name: string) => resourceConflict(`Function already exist: ${name}`);

export const revisionMismatch = () =>
  new AwsError(
    "PreconditionFailedException",
    "The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.",
  );

/** Not in Lambda's model: AWS answers 413 with this code when a request body is over the operation's limit. */
export const requestTooLarge = (limit: number, operation: string) =>
  new AwsError("RequestEntityTooLargeException", `Request must be smaller than ${limit} bytes for the ${operation} operation`, { status: 413 });

/**
 * Not in Lambda's model: what AWS answers a call it does not permit (here: another account's function, whose
 * resource policy is not evaluated). Recorded as AccessDenied without requestParameters (Lambda Developer
 * Guide, "Lambda event examples").
 */
export const accessDenied = (message: string) => new AwsError("AccessDeniedException", message, { status: 403, recordedCode: "AccessDenied", unauthorized: true });

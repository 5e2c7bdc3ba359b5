import { AwsError } from "../../src/types/aws-error.js";

/** EventBridge's errors, by the model's shape names (all 400). */
export const notFound = (message: string) => new AwsError("ResourceNotFoundException", message);
export const alreadyExists = (message: string) => new AwsError("ResourceAlreadyExistsException", message);
export const validation = (message: string) => new AwsError("ValidationException", message);
export const limitExceeded = (message: string) => new AwsError("LimitExceededException", message);
export const invalidPattern = (reason: string) => new AwsError("InvalidEventPatternException", `Event pattern is not valid. Reason: ${reason}`);
export const busNotFound = (name: string) => notFound(`Event bus ${name} does not exist.`);
export const ruleNotFound = (rule: string, bus: string) => notFound(`Rule ${rule} does not exist on EventBus ${bus}.`);

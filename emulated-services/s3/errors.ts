import { AwsError } from "../../src/types/aws-error.js";

/**
 * S3's errors, with the codes, statuses and messages of the S3 error list
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Modelled ones (NoSuchKey,
 * NoSuchBucket, ...) take their status from the model; the extra fields go into the `<Error>` envelope.
 */
export const noSuchBucket = (bucket: string) => new AwsError("NoSuchBucket", "The specified bucket does not exist", { fields: { BucketName: bucket } });
export const noSuchKey = (key: string) => new AwsError("NoSuchKey", "The specified key does not exist.", { fields: { Key: key } });
export const noSuchUpload = (uploadId: string) =>
  new AwsError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", {
    fields: { UploadId: uploadId },
  });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", { fields: { BucketName: bucket } });
export const bucketAlreadyExists = (bucket: string) =>
  new AwsError("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", {
    fields: { BucketName: bucket },
  });
export const bucketNotEmpty = (bucket: string) =>
  new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", { status: 409, fields: { BucketName: bucket } });
export const invalidBucketName = (bucket: string) =>
  new AwsError("InvalidBucketName", "The specified bucket is not valid.", { status: 400, fields: { BucketName: bucket } });
export const noSuchBucketPolicy = (bucket: string) =>
  new AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", { status: 404, fields: { BucketName: bucket } });
export const noSuchTagSet = (bucket: string) => new AwsError("NoSuchTagSet", "The TagSet does not exist", { status: 404, fields: { BucketName: bucket } });
export const malformedPolicy = (message: string) => new AwsError("MalformedPolicy", message, { status: 400 });
export const malformedXml = () =>
  new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", { status: 400 });
export const invalidArgument = (message: string, name: string, value: string) =>
  new AwsError("InvalidArgument", message, { status: 400, fields: { ArgumentName: name, ArgumentValue: value } });
export const invalidRequest = (message: string) => new AwsError("InvalidRequest", message);
export const invalidDigest = () => new AwsError("InvalidDigest", "The Content-MD5 you specified is not valid.", { status: 400 });
export const badDigest = () => new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", { status: 400 });
export const badChecksum = (algorithm: string) => new AwsError("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`, { status: 400 });
export const invalidRange = (size: number, range: string) =>
  new AwsError("InvalidRange", "The requested range is not satisfiable", { status: 416, fields: { RangeRequested: range, ActualObjectSize: String(size) } });
export const preconditionFailed = (condition: string) =>
  new AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { status: 412, fields: { Condition: condition } });
export const invalidPart = () =>
  new AwsError("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
    status: 400,
  });
export const invalidPartOrder = () => new AwsError("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.", { status: 400 });
export const entityTooSmall = () => new AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", { status: 400 });
export const invalidLocationConstraint = () => new AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", { status: 400 });
export const illegalLocationConstraint = (region: string, constraint: string) =>
  new AwsError("IllegalLocationConstraintException", `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, {
    status: 400,
    fields: { Region: region },
  });
export const keyTooLong = () => new AwsError("KeyTooLongError", "Your key is too long", { status: 400 });
export const invalidPartNumber = (requested: number, parts: number) =>
  new AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", { status: 416, fields: { PartNumberRequested: String(requested), ActualPartCount: String(parts) } });

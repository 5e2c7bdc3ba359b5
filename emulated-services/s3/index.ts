import type { Operations } from "../../src/generated/types/s3.js";
import { defineService } from "../../src/registry.js";
import { s3Authorization } from "./authorization.js";
import { chooseOperation, routingPath } from "./addressing.js";
import { deleteBucketTagging, getBucketAcl, getBucketTagging, getBucketVersioning, putBucketTagging, putBucketVersioning } from "./bucket-config.js";
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from "./bucket-policy.js";
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets.js";
import { copyObject } from "./copy-object.js";
import { listObjects, listObjectsV2 } from "./list-objects.js";
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from "./multipart.js";
import { listMultipartUploads, listParts } from "./multipart-listing.js";
import { deleteObject, deleteObjects, getObject, headObject, putObject } from "./objects.js";
import { bucketEvent, bucketLookupName, objectEvent } from "./records.js";


/**
 * S3: the operation table. Bucket operations are management events; object operations are data events,
 * which CloudTrail never shows in LookupEvents (records.ts has how S3 shapes both).
 */
export const s3 = defineService<Operations>({
  name: "s3",
  eventSource: "s3.amazonaws.com",
  // S3 answers malformed parameters with InvalidArgument; the model's constraints are S3's to check.
  validation: { code: "InvalidArgument", constraints: false },
  authorization: s3Authorization,
  audit: { bracketUserAgent: true, resourceMembers: { Bucket: "AWS::S3::Bucket" }, lookupName: bucketLookupName },
  // S3 request ids are 16 upper-case characters (CF9748DFDC5FB0A4).
  requestId: (ids) => ids.upperAlnum(16),
  routingPath: (raw, config) => routingPath(raw, config.s3Hostnames),
  chooseOperation,
  operations: {
    CreateBucket: { handler: createBucket, audit: bucketEvent("CreateBucket", { resources: false }) },
    HeadBucket: { handler: headBucket, audit: bucketEvent("HeadBucket") },
    ListBuckets: { handler: listBuckets, audit: bucketEvent("ListBuckets", { resources: false }) },
    DeleteBucket: { handler: deleteBucket, audit: bucketEvent("DeleteBucket") },
    GetBucketLocation: { handler: getBucketLocation, audit: bucketEvent("GetBucketLocation") },
    GetBucketPolicy: { handler: getBucketPolicy, audit: bucketEvent("GetBucketPolicy") },
    PutBucketPolicy: { handler: putBucketPolicy, audit: bucketEvent("PutBucketPolicy") },
    DeleteBucketPolicy: { handler: deleteBucketPolicy, audit: bucketEvent("DeleteBucketPolicy") },
    GetBucketAcl: { handler: getBucketAcl, audit: bucketEvent("GetBucketAcl") },
    GetBucketTagging: { handler: getBucketTagging, audit: bucketEvent("GetBucketTagging") },
    PutBucketTagging: { handler: putBucketTagging, audit: bucketEvent("PutBucketTagging") },
    DeleteBucketTagging: { handler: deleteBucketTagging, audit: bucketEvent("DeleteBucketTagging") },
    GetBucketVersioning: { handler: getBucketVersioning, audit: bucketEvent("GetBucketVersioning") },
    PutBucketVersioning: { handler: putBucketVersioning, audit: bucketEvent("PutBucketVersioning") },
    // A bucket-level listing: recorded as a management event.
    ListMultipartUploads: { handler: listMultipartUploads, audit: bucketEvent("ListMultipartUploads") },

    PutObject: { handler: putObject, audit: objectEvent("PutObject", { sseApplied: true }) },
    GetObject: { handler: getObject, audit: objectEvent("GetObject") },
    HeadObject: { handler: headObject, audit: objectEvent("HeadObject") },
    DeleteObject: { handler: deleteObject, audit: objectEvent("DeleteObject") },
    DeleteObjects: { handler: deleteObjects, audit: objectEvent("DeleteObjects", { wholeBucket: true }) },
    CopyObject: { handler: copyObject, audit: objectEvent("CopyObject", { sseApplied: true }) },
    ListObjects: { handler: listObjects, audit: objectEvent("ListObjects", { wholeBucket: true }) },
    // CloudTrail names ListObjectsV2 calls ListObjects (with "list-type": "2" among the parameters).
    ListObjectsV2: { handler: listObjectsV2, audit: objectEvent("ListObjectsV2", { eventName: "ListObjects", wholeBucket: true }) },
    CreateMultipartUpload: { handler: createMultipartUpload, audit: objectEvent("CreateMultipartUpload", { sseApplied: true }) },
    UploadPart: { handler: uploadPart, audit: objectEvent("UploadPart") },
    UploadPartCopy: { handler: uploadPartCopy, audit: objectEvent("UploadPartCopy") },
    CompleteMultipartUpload: { handler: completeMultipartUpload, audit: objectEvent("CompleteMultipartUpload") },
    AbortMultipartUpload: { handler: abortMultipartUpload, audit: objectEvent("AbortMultipartUpload") },
    ListParts: { handler: listParts, audit: objectEvent("ListParts") },
  },
});

import type { Operations } from "../../src/generated/types/s3.js";
import { defineService } from "../../src/registry.js";
import { s3Authorization } from "./authorization.js";
import { chooseOperation, routingPath } from "./addressing.js";
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from "./acl.js";
import { deleteBucketTagging, getBucketTagging, getBucketVersioning, putBucketTagging, putBucketVersioning } from "./bucket-config.js";
import { deleteSetting, getSetting, putSetting, SETTINGS } from "./bucket-settings.js";
import { deleteObjectTagging, getObjectAttributes, getObjectTagging, putObjectTagging } from "./object-tagging.js";
import { listObjectVersions } from "./version-listing.js";
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from "./bucket-policy.js";
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets.js";
import { copyObject } from "./copy-object.js";
import { listObjects, listObjectsV2 } from "./list-objects.js";
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from "./multipart.js";
import { listMultipartUploads, listParts } from "./multipart-listing.js";
import { deleteObject, deleteObjects, getObject, headObject, putObject } from "./objects.js";
import { bucketEvent, bucketLookupName, objectEvent } from "./records.js";
import { getBucketNotificationConfiguration, notifyingCreate, notifyingDelete, putBucketNotificationConfiguration } from "./notifications.js";
import { objectReader } from "./directory.js";


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
  objectReader,
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
    PutBucketAcl: { handler: putBucketAcl, audit: bucketEvent("PutBucketAcl") },
    // CloudTrail names some of these after S3's older API (PutBucketLifecycle, PutBucketNotification: the names
    // CIS benchmark metric filters match) and the bucket-level public access block PutBucketPublicAccessBlock.
    GetBucketEncryption: { handler: getSetting<"GetBucketEncryption">(SETTINGS.encryption), audit: bucketEvent("GetBucketEncryption") },
    PutBucketEncryption: { handler: putSetting<"PutBucketEncryption">(SETTINGS.encryption), audit: bucketEvent("PutBucketEncryption") },
    DeleteBucketEncryption: { handler: deleteSetting<"DeleteBucketEncryption">(SETTINGS.encryption), audit: bucketEvent("DeleteBucketEncryption") },
    GetPublicAccessBlock: { handler: getSetting<"GetPublicAccessBlock">(SETTINGS.publicAccessBlock), audit: bucketEvent("GetPublicAccessBlock", { eventName: "GetBucketPublicAccessBlock" }) },
    PutPublicAccessBlock: { handler: putSetting<"PutPublicAccessBlock">(SETTINGS.publicAccessBlock), audit: bucketEvent("PutPublicAccessBlock", { eventName: "PutBucketPublicAccessBlock" }) },
    DeletePublicAccessBlock: { handler: deleteSetting<"DeletePublicAccessBlock">(SETTINGS.publicAccessBlock), audit: bucketEvent("DeletePublicAccessBlock", { eventName: "DeleteBucketPublicAccessBlock" }) },
    GetBucketOwnershipControls: { handler: getSetting<"GetBucketOwnershipControls">(SETTINGS.ownershipControls), audit: bucketEvent("GetBucketOwnershipControls") },
    PutBucketOwnershipControls: { handler: putSetting<"PutBucketOwnershipControls">(SETTINGS.ownershipControls), audit: bucketEvent("PutBucketOwnershipControls") },
    DeleteBucketOwnershipControls: { handler: deleteSetting<"DeleteBucketOwnershipControls">(SETTINGS.ownershipControls), audit: bucketEvent("DeleteBucketOwnershipControls") },
    GetBucketLifecycleConfiguration: { handler: getSetting<"GetBucketLifecycleConfiguration">(SETTINGS.lifecycle), audit: bucketEvent("GetBucketLifecycleConfiguration", { eventName: "GetBucketLifecycle" }) },
    // S3 applies all_storage_classes_128K when the request names no minimum object size for transitions.
    PutBucketLifecycleConfiguration: {
      handler: putSetting<"PutBucketLifecycleConfiguration">(SETTINGS.lifecycle, { TransitionDefaultMinimumObjectSize: "all_storage_classes_128K" }),
      audit: bucketEvent("PutBucketLifecycleConfiguration", { eventName: "PutBucketLifecycle" }),
    },
    DeleteBucketLifecycle: { handler: deleteSetting<"DeleteBucketLifecycle">(SETTINGS.lifecycle), audit: bucketEvent("DeleteBucketLifecycle") },
    GetBucketCors: { handler: getSetting<"GetBucketCors">(SETTINGS.cors), audit: bucketEvent("GetBucketCors") },
    PutBucketCors: { handler: putSetting<"PutBucketCors">(SETTINGS.cors), audit: bucketEvent("PutBucketCors") },
    DeleteBucketCors: { handler: deleteSetting<"DeleteBucketCors">(SETTINGS.cors), audit: bucketEvent("DeleteBucketCors") },
    GetBucketWebsite: { handler: getSetting<"GetBucketWebsite">(SETTINGS.website), audit: bucketEvent("GetBucketWebsite") },
    PutBucketWebsite: { handler: putSetting<"PutBucketWebsite">(SETTINGS.website), audit: bucketEvent("PutBucketWebsite") },
    DeleteBucketWebsite: { handler: deleteSetting<"DeleteBucketWebsite">(SETTINGS.website), audit: bucketEvent("DeleteBucketWebsite") },
    GetBucketReplication: { handler: getSetting<"GetBucketReplication">(SETTINGS.replication), audit: bucketEvent("GetBucketReplication") },
    PutBucketReplication: { handler: putSetting<"PutBucketReplication">(SETTINGS.replication), audit: bucketEvent("PutBucketReplication") },
    DeleteBucketReplication: { handler: deleteSetting<"DeleteBucketReplication">(SETTINGS.replication), audit: bucketEvent("DeleteBucketReplication") },
    GetBucketLogging: { handler: getSetting<"GetBucketLogging">(SETTINGS.logging), audit: bucketEvent("GetBucketLogging") },
    PutBucketLogging: { handler: putSetting<"PutBucketLogging">(SETTINGS.logging), audit: bucketEvent("PutBucketLogging") },
    GetBucketAccelerateConfiguration: { handler: getSetting<"GetBucketAccelerateConfiguration">(SETTINGS.accelerate), audit: bucketEvent("GetBucketAccelerateConfiguration") },
    PutBucketAccelerateConfiguration: { handler: putSetting<"PutBucketAccelerateConfiguration">(SETTINGS.accelerate), audit: bucketEvent("PutBucketAccelerateConfiguration") },
    GetBucketRequestPayment: { handler: getSetting<"GetBucketRequestPayment">(SETTINGS.requestPayment), audit: bucketEvent("GetBucketRequestPayment") },
    PutBucketRequestPayment: { handler: putSetting<"PutBucketRequestPayment">(SETTINGS.requestPayment), audit: bucketEvent("PutBucketRequestPayment") },
    GetObjectLockConfiguration: { handler: getSetting<"GetObjectLockConfiguration">(SETTINGS.objectLock), audit: bucketEvent("GetObjectLockConfiguration") },
    PutObjectLockConfiguration: { handler: putSetting<"PutObjectLockConfiguration">(SETTINGS.objectLock), audit: bucketEvent("PutObjectLockConfiguration") },
    GetBucketTagging: { handler: getBucketTagging, audit: bucketEvent("GetBucketTagging") },
    PutBucketTagging: { handler: putBucketTagging, audit: bucketEvent("PutBucketTagging") },
    DeleteBucketTagging: { handler: deleteBucketTagging, audit: bucketEvent("DeleteBucketTagging") },
    GetBucketVersioning: { handler: getBucketVersioning, audit: bucketEvent("GetBucketVersioning") },
    PutBucketVersioning: { handler: putBucketVersioning, audit: bucketEvent("PutBucketVersioning") },
    // A bucket-level listing: recorded as a management event.
    ListMultipartUploads: { handler: listMultipartUploads, audit: bucketEvent("ListMultipartUploads") },
    // An object listing is a data event (reference/cloudtrail.md §3.3), as ListObjects is.
    ListObjectVersions: { handler: listObjectVersions, audit: objectEvent("ListObjectVersions", { wholeBucket: true }) },

    GetBucketNotificationConfiguration: { handler: getBucketNotificationConfiguration, audit: bucketEvent("GetBucketNotificationConfiguration", { eventName: "GetBucketNotification" }) },
    PutBucketNotificationConfiguration: { handler: putBucketNotificationConfiguration, audit: bucketEvent("PutBucketNotificationConfiguration", { eventName: "PutBucketNotification" }) },
    PutObject: { handler: notifyingCreate("Put", putObject), audit: objectEvent("PutObject", { sseApplied: true }) },
    GetObject: { handler: getObject, audit: objectEvent("GetObject") },
    HeadObject: { handler: headObject, audit: objectEvent("HeadObject") },
    DeleteObject: { handler: notifyingDelete((input, output) => [{ key: input.Key, deleteMarker: output.DeleteMarker && input.VersionId === undefined, versionId: output.VersionId }], deleteObject), audit: objectEvent("DeleteObject") },
    DeleteObjects: { handler: notifyingDelete(
        (input, output) =>
          output.Deleted?.map((d) => ({ key: d.Key!, deleteMarker: d.DeleteMarker && d.VersionId === undefined, versionId: d.DeleteMarkerVersionId ?? d.VersionId })) ??
          (input.Delete.Objects ?? []).map((o) => ({ key: o.Key })),
        deleteObjects,
      ), audit: objectEvent("DeleteObjects", { wholeBucket: true }) },
    CopyObject: { handler: notifyingCreate("Copy", copyObject), audit: objectEvent("CopyObject", { sseApplied: true }) },
    ListObjects: { handler: listObjects, audit: objectEvent("ListObjects", { wholeBucket: true }) },
    // CloudTrail names ListObjectsV2 calls ListObjects (with "list-type": "2" among the parameters).
    ListObjectsV2: { handler: listObjectsV2, audit: objectEvent("ListObjectsV2", { eventName: "ListObjects", wholeBucket: true }) },
    CreateMultipartUpload: { handler: createMultipartUpload, audit: objectEvent("CreateMultipartUpload", { sseApplied: true }) },
    UploadPart: { handler: uploadPart, audit: objectEvent("UploadPart") },
    UploadPartCopy: { handler: uploadPartCopy, audit: objectEvent("UploadPartCopy") },
    CompleteMultipartUpload: { handler: notifyingCreate("CompleteMultipartUpload", completeMultipartUpload), audit: objectEvent("CompleteMultipartUpload") },
    AbortMultipartUpload: { handler: abortMultipartUpload, audit: objectEvent("AbortMultipartUpload") },
    ListParts: { handler: listParts, audit: objectEvent("ListParts") },
    GetObjectTagging: { handler: getObjectTagging, audit: objectEvent("GetObjectTagging") },
    PutObjectTagging: { handler: putObjectTagging, audit: objectEvent("PutObjectTagging") },
    DeleteObjectTagging: { handler: deleteObjectTagging, audit: objectEvent("DeleteObjectTagging") },
    GetObjectAcl: { handler: getObjectAcl, audit: objectEvent("GetObjectAcl") },
    PutObjectAcl: { handler: putObjectAcl, audit: objectEvent("PutObjectAcl") },
    GetObjectAttributes: { handler: getObjectAttributes, audit: objectEvent("GetObjectAttributes") },
  },
});

import { logFileKey } from "../../../src/delivery/log-file-key.js";
import { buildLogFiles } from "../../../src/delivery/log-file.js";
import { putEventsFromService } from "../../logs/directory.js";
import { DeliveryRefused, deliveryRefusal, errorCode } from "./bucket-access.js";
import { digestLater } from "./digest-chains.js";
import type { Batch } from "./pending-batches.js";
import { putDeliveredFile } from "./s3-writes.js";
import { statusOf, type Round } from "./round.js";

/**
 * Writes a batch's log file into the trail's bucket (reference/cloudtrail.md §6): at AWS's key, gzipped,
 * as a JSON object, SSE-KMS under the trail's key (encryption context aws:cloudtrail:arn) or else SSE-S3.
 * A refusal (bucket gone, policy no longer allowing CloudTrail, key unusable) is recorded in the trail's
 * status and leaves the batch for the next delivery.
 */
async function writeLogFiles(round: Round, batch: Batch): Promise<void> {
  const { trail, region } = batch;
  const status = statusOf(round, trail, region);
  const attempted = round.now.toISOString();
  status.latestDeliveryAttemptTime = attempted;
  try {
    for (const file of buildLogFiles(batch.records)) {
      const key = logFileKey({ prefix: trail.s3KeyPrefix, accountId: trail.accountId, region }, round.now, round.env.ids.alnum(16), batch.kind);
      const refused = deliveryRefusal(round.state, { trailArn: trail.arn, accountId: trail.accountId }, trail.s3BucketName);
      if (refused) throw new DeliveryRefused(refused);
      if (trail.kmsKeyId) await generateDataKey(round, trail.arn, trail.accountId, trail.kmsKeyId, `arn:aws:s3:::${trail.s3BucketName}/${key}`);
      await putDeliveredFile(round, { trailArn: trail.arn, accountId: trail.accountId }, { bucket: trail.s3BucketName, key, body: file.body, kmsKeyId: trail.kmsKeyId });
      // Digests cover the log files of API activity, not Insights files.
      if (batch.kind === "CloudTrail") digestLater(round, trail, region, { s3Bucket: trail.s3BucketName, s3Object: key, hashValue: file.sha256, newestEventTime: file.newestEventTime, oldestEventTime: file.oldestEventTime });
    }
  } catch (e) {
    status.latestDeliveryError = errorCode(e);
    return;
  }
  batch.s3Done = true;
  status.latestDeliveryTime = attempted;
  status.latestDeliveryAttemptSucceeded = attempted;
  delete status.latestDeliveryError;
}

/**
 * The data key of an SSE-KMS log file, asked of KMS by CloudTrail itself for every file it puts (CloudTrail
 * User Guide, "How AWS CloudTrail uses AWS KMS"): recorded with userIdentity AWSService invokedBy
 * cloudtrail.amazonaws.com, keySpec AES_256, the key's ARN and the encryption context of the trail's ARN and
 * the object's ARN, in the key's region. A refusal (key disabled, gone, or its policy no longer allowing
 * CloudTrail) fails the delivery as S3 reports it (`KMS.<code>`).
 */
async function generateDataKey(round: Round, trailArn: string, accountId: string, keyArn: string, objectArn: string): Promise<void> {
  const outcome = await round.env.invoke({
    service: "kms",
    operation: "GenerateDataKey",
    input: { KeyId: keyArn, KeySpec: "AES_256", EncryptionContext: { "aws:cloudtrail:arn": trailArn, "aws:s3:arn": objectArn } },
    region: keyArn.split(":")[3] ?? round.env.config.region,
    as: { service: CLOUDTRAIL, accountId },
  });
  if (outcome.error) throw new DeliveryRefused(`KMS.${outcome.error.code}`);
}

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

const LOG_GROUP_ARN = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:([^:]+)(:\*)?$/;

/**
 * Sends every record of the batch to the trail's CloudWatch Logs group (§8): stream
 * `<account>_CloudTrail_<region>`, one event per record, the record's JSON as the message, delivery time as
 * the timestamp. CloudWatch Logs delivery is not retried: a failure is only reported in the status.
 */
function sendToCloudWatchLogs(round: Round, batch: Batch): void {
  const { trail, region } = batch;
  batch.logsDone = true;
  if (!trail.cloudWatchLogsLogGroupArn) return;
  const status = statusOf(round, trail, region);
  const m = LOG_GROUP_ARN.exec(trail.cloudWatchLogsLogGroupArn);
  const stream = `${trail.accountId}_CloudTrail_${region}`;
  const at = round.now.getTime();
  const sent =
    !!m && putEventsFromService(round.state, m[2]!, m[1]!, m[3]!, stream, batch.records.map((r) => ({ timestamp: at, message: JSON.stringify(r) })), { ids: round.env.ids, now: round.now, env: round.env });
  if (sent) {
    status.latestCloudWatchLogsDeliveryTime = round.now.toISOString();
    delete status.latestCloudWatchLogsDeliveryError;
  } else {
    status.latestCloudWatchLogsDeliveryError = "ResourceNotFoundException";
  }
}

/** Delivers what is left of a batch; true once all of it is delivered. */
export async function deliverBatch(round: Round, batch: Batch): Promise<boolean> {
  if (!batch.s3Done) await writeLogFiles(round, batch);
  if (!batch.logsDone) sendToCloudWatchLogs(round, batch);
  return batch.s3Done === true;
}

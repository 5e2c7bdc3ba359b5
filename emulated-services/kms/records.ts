import type { CreateKeyResponse, ScheduleKeyDeletionResponse } from "../../src/generated/types/kms.js";
import { kmsRecordDate } from "./audit.js";

/** Drops undefined members, as the record never writes them. */
export function present(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/**
 * CreateKey's keyMetadata as AWS records it: `AWSAccountId` keeps its capitals and creationDate is in
 * KMS's Java form (AWS KMS Developer Guide, CreateKey log entry).
 */
export function createKeyResponseElements(output: CreateKeyResponse | undefined, shaped: Record<string, unknown> | null): Record<string, unknown> | null {
  const metadata = shaped?.keyMetadata as Record<string, unknown> | undefined;
  if (!metadata || !output?.KeyMetadata) return shaped;
  const { aWSAccountId, ...rest } = metadata;
  return { keyMetadata: { AWSAccountId: aWSAccountId, ...rest, creationDate: output.KeyMetadata.CreationDate ? kmsRecordDate(output.KeyMetadata.CreationDate) : undefined } };
}

export function scheduleKeyDeletionResponseElements(output: ScheduleKeyDeletionResponse | undefined, shaped: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!shaped || !output?.DeletionDate) return shaped;
  return { ...shaped, deletionDate: kmsRecordDate(output.DeletionDate) };
}

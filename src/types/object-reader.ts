/**
 * What the engine may read of S3's objects without going through S3's API: the console's "Validate" reads a
 * trail's delivered files as `aws cloudtrail validate-logs` does, through the storage interface S3 offers
 * (emulated-services/s3/directory.ts), wired in by app.ts.
 */
export interface ObjectReader {
  /** Keys of `bucket` that start with `prefix` and sort after `after`, in S3's order; undefined when no such bucket. */
  keys(bucket: string, prefix: string, after?: string): Iterable<string> | undefined;
  /** An object's bytes (decrypted) and user metadata, or undefined when the bucket or the key does not exist. */
  get(bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined>;
}

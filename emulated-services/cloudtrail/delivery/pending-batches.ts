import type { CloudTrailRecord } from "../../../src/types/cloudtrail-record.js";
import type { StoredTrail } from "../trails-state.js";

/**
 * The records a trail has selected for one region (the region they were recorded in) and not yet
 * delivered: one log file (and their CloudWatch Logs events) at the next delivery. A batch that fails stays for the next attempt, remembering
 * which part was written, so a retry does not write the other again.
 */
export interface Batch {
  /** The trail as it stands (the state's own object): delivery reads its bucket, prefix and key then. */
  trail: StoredTrail;
  region: string;
  /** Insights events go to their own folder (reference/cloudtrail.md §6.1). */
  kind: "CloudTrail" | "CloudTrail-Insight";
  records: CloudTrailRecord[];
  minSeq: number;
  /** Taken by a delivery: records selected meanwhile go to a new batch. */
  sealed: boolean;
  s3Done?: boolean;
  logsDone?: boolean;
}

/** In memory only: after a restart, the trails' cursors bring back what was not delivered (catch-up.ts). */
export class PendingBatches {
  private batches: Batch[] = [];

  add(trail: StoredTrail, seq: number, record: CloudTrailRecord): void {
    const region = record.awsRegion;
    const kind = record.eventCategory === "Insight" ? "CloudTrail-Insight" : "CloudTrail";
    let batch = this.batches.find((b) => !b.sealed && b.trail.arn === trail.arn && b.region === region && b.kind === kind);
    if (!batch) {
      batch = { trail, region, kind, records: [], minSeq: seq, sealed: false };
      this.batches.push(batch);
    }
    // A trail deleted and made again under its name is a new object: deliver with the current one.
    batch.trail = trail;
    batch.records.push(record);
    batch.minSeq = Math.min(batch.minSeq, seq);
  }

  /** Every batch, sealed: what this delivery writes. */
  seal(): Batch[] {
    for (const b of this.batches) b.sealed = true;
    return [...this.batches];
  }

  /** A batch written, or given up. */
  remove(batch: Batch): void {
    this.batches = this.batches.filter((b) => b !== batch);
  }

  /** The oldest position among the trail's undelivered records, if any. */
  oldestSeq(trailArn: string): number | undefined {
    let oldest: number | undefined;
    for (const b of this.batches) if (b.trail.arn === trailArn && (oldest === undefined || b.minSeq < oldest)) oldest = b.minSeq;
    return oldest;
  }

  clear(): void {
    this.batches = [];
  }
}

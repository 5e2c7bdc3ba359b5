import { mkdirSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Low, Memory } from "lowdb";
import { JSONFile } from "lowdb/node";

/** One (account, region) document: each service keeps its state under its own name. */
type StateDocument = Record<string, unknown>;

/** Region of the documents that hold global services' state (IAM). */
export const GLOBAL_REGION = "global";

// Account ids are 12 digits; regions come from the credential scope and are checked by auth, and checked
// again here because they become file names.
const ACCOUNT = /^\d{12}$/;
const REGION = /^(global|[a-z]{2}(-[a-z]+)+-\d{1,2})$/;

/** A handler's window on the store: it remembers which documents the call touched. */
export interface StateView {
  get<T>(service: string, accountId: string, region: string, init: () => T): T;
}

/**
 * The control plane: lowdb documents, one JSON file per account and region (`state/<account>/<region>.json`),
 * written atomically (lowdb's steno writer: temp file + rename). Concurrent writes of one document are
 * coalesced by steno, so many mutating calls cost few writes. `--ephemeral` keeps them in memory.
 */
export class StateStore {
  private readonly docs = new Map<string, Low<StateDocument>>();

  constructor(private readonly dir: string | undefined) {}

  /** Loads every document on disk, so handlers can read state synchronously. */
  async open(): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    for (const account of await readdir(this.dir)) {
      if (!ACCOUNT.test(account)) continue;
      for (const file of await readdir(join(this.dir, account))) {
        const region = file.replace(/\.json$/, "");
        if (!file.endsWith(".json") || !REGION.test(region)) continue;
        const db = this.newDb(account, region);
        await db.read();
        this.docs.set(key(account, region), db);
      }
    }
  }

  view(touched: Set<string>): StateView {
    return {
      get: <T>(service: string, accountId: string, region: string, init: () => T): T => {
        touched.add(key(accountId, region));
        return this.get(service, accountId, region, init);
      },
    };
  }

  get<T>(service: string, accountId: string, region: string, init: () => T): T {
    const db = this.doc(accountId, region);
    if (!(service in db.data)) db.data[service] = init();
    return db.data[service] as T;
  }

  /** Every document that holds state of `service`, e.g. to find an access key in any account. */
  *all<T>(service: string): Iterable<{ accountId: string; region: string; value: T }> {
    for (const [k, db] of this.docs) {
      if (!(service in db.data)) continue;
      const [accountId, region] = k.split("/") as [string, string];
      yield { accountId, region, value: db.data[service] as T };
    }
  }

  /** Writes the given documents; resolves once they are on disk. */
  async persist(keys: Iterable<string>): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const k of keys) {
      const db = this.docs.get(k);
      if (db) writes.push(db.write());
    }
    await Promise.all(writes);
  }

  async persistAll(): Promise<void> {
    await this.persist([...this.docs.keys()]);
  }

  async reset(): Promise<void> {
    // Let writes under way finish before their files go.
    await this.persistAll();
    this.docs.clear();
    if (this.dir) {
      await rm(this.dir, { recursive: true, force: true });
      await mkdir(this.dir, { recursive: true });
    }
  }

  private doc(accountId: string, region: string): Low<StateDocument> {
    const k = key(accountId, region);
    let db = this.docs.get(k);
    if (!db) {
      if (!ACCOUNT.test(accountId) || !REGION.test(region)) throw new Error(`invalid state document ${k}`);
      db = this.newDb(accountId, region);
      this.docs.set(k, db);
    }
    return db;
  }

  private newDb(accountId: string, region: string): Low<StateDocument> {
    if (!this.dir) return new Low<StateDocument>(new Memory<StateDocument>(), {});
    mkdirSync(join(this.dir, accountId), { recursive: true });
    return new Low<StateDocument>(new JSONFile<StateDocument>(join(this.dir, accountId, `${region}.json`)), {});
  }
}

const key = (accountId: string, region: string) => `${accountId}/${region}`;

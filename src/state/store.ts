import { existsSync, mkdirSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Low, Memory } from "lowdb";
import { JSONFile } from "lowdb/node";
import { JournalTable } from "./journal-table.js";

/** One (account, region) document: each service keeps its state under its own name. */
type StateDocument = Record<string, unknown>;

/** Region of the documents that hold global services' state (IAM). */
export const GLOBAL_REGION = "global";

// Account ids are 12 digits; regions come from the credential scope and are checked by auth, and checked
// again here because they become file names.
const ACCOUNT = /^\d{12}$/;
const REGION = /^(global|[a-z]{2}(-[a-z]+)+-\d{1,2})$/;

/** A handler's window on the store: it remembers which documents and tables the call touched. */
export interface StateView {
  get<T>(service: string, accountId: string, region: string, init: () => T): T;
  /** A service's keyed table (src/state/journal-table.ts), for collections too large for a document. */
  table<T>(service: string, name: string): StateTable<T>;
}

/** A table as a call sees it: changes are written before the call answers. */
export type StateTable<T> = Pick<JournalTable<T>, "size" | "get" | "has" | "set" | "delete" | "values" | "keysFrom" | "settled" | "drop">;

// Table names become file names: services pass fixed words and generated ids, never user strings.
const TABLE_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;

/**
 * The control plane: lowdb documents, one JSON file per account and region (`state/<account>/<region>.json`),
 * written atomically (lowdb's steno writer: temp file + rename). Concurrent writes of one document are
 * coalesced by steno, so many mutating calls cost few writes. `--ephemeral` keeps them in memory.
 */
export class StateStore {
  private readonly docs = new Map<string, Low<StateDocument>>();
  private readonly tables = new Map<string, JournalTable<unknown>>();

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
        try {
          await db.read();
        } catch (e) {
          // Writes are atomic (temp file + rename), so only damage from outside gets here. Keep the file
          // for the user, start this document afresh, and say so rather than refuse to start.
          const aside = join(this.dir, account, `${file}.damaged-${Date.now()}`);
          await rename(join(this.dir, account, file), aside);
          console.error(`localtrail: ${join(account, file)} is not readable JSON (${e instanceof Error ? e.message : e}); kept as ${aside}, starting it empty`);
          db.data = {};
        }
        this.docs.set(key(account, region), db);
      }
    }
    const tablesDir = join(this.dir, "tables");
    if (!existsSync(tablesDir)) return;
    for (const service of await readdir(tablesDir)) {
      if (!TABLE_NAME.test(service)) continue;
      for (const file of await readdir(join(tablesDir, service))) {
        const name = file.replace(/\.ndjson$/, "");
        if (file.endsWith(".ndjson") && TABLE_NAME.test(name)) this.table(service, name);
      }
    }
  }

  view(touched: Set<string>): StateView {
    return {
      get: <T>(service: string, accountId: string, region: string, init: () => T): T => {
        touched.add(key(accountId, region));
        return this.get(service, accountId, region, init);
      },
      table: <T>(service: string, name: string): StateTable<T> => {
        const table = this.table<T>(service, name);
        const k = tableKey(service, name);
        return {
          get size() {
            return table.size;
          },
          get: (key) => table.get(key),
          has: (key) => table.has(key),
          set: (key, value) => {
            touched.add(k);
            table.set(key, value);
          },
          delete: (key) => {
            touched.add(k);
            return table.delete(key);
          },
          values: () => table.values(),
          keysFrom: (from) => table.keysFrom(from),
          settled: () => table.settled(),
          drop: () => {
            this.tables.delete(k);
            return table.drop();
          },
        };
      },
    };
  }

  /** A table, loaded from its journal on first use. */
  table<T>(service: string, name: string): JournalTable<T> {
    const k = tableKey(service, name);
    let table = this.tables.get(k);
    if (!table) {
      if (!TABLE_NAME.test(service) || !TABLE_NAME.test(name)) throw new Error(`invalid table name ${k}`);
      table = new JournalTable(this.dir && join(this.dir, "tables", service, `${name}.ndjson`));
      table.load();
      this.tables.set(k, table);
    }
    return table as JournalTable<T>;
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
      const table = this.tables.get(k);
      if (table) writes.push(table.settled());
    }
    await Promise.all(writes);
  }

  async persistAll(): Promise<void> {
    await this.persist([...this.docs.keys(), ...this.tables.keys()]);
  }

  async reset(): Promise<void> {
    // Let writes under way finish before their files go.
    await this.persistAll();
    await Promise.all([...this.tables.values()].map((t) => t.close()));
    this.docs.clear();
    this.tables.clear();
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
const tableKey = (service: string, name: string) => `table:${service}/${name}`;

// The durable store: one SQLite file in WAL mode, one table of (tbl, key, JSON value).
// synchronous=NORMAL means a commit is in the WAL (the OS page cache) before the call returns,
// so an acknowledged write survives the process being killed (SIGKILL), which is what the
// sandbox promises; it need not survive the machine losing power. NORMAL rather than OFF: in WAL
// mode OFF only saves the fsyncs at checkpoints (a few per thousand commits; no measurable change
// per request), and after a power loss OFF can leave a corrupt file where NORMAL loses at most
// the last commits.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { DurableStore } from "./contracts";

export interface SqliteStore extends DurableStore {
  close(): void;
}

// Every key of a prefix sorts between the prefix and the prefix followed by the highest code point.
const PREFIX_END = "\u{10FFFF}";

export function openSqliteStore(dataDir: string): SqliteStore {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "sandbox.db");
  const db = new Database(file);
  // Exclusive locking keeps the WAL index in process memory (no shared-memory locks per
  // commit: commits cost about a third less) and keeps a second sandbox off the same data,
  // whose in-memory models would silently diverge from ours.
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("busy_timeout = 2000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -32000");
    db.exec("CREATE TABLE IF NOT EXISTS kv (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID");
  } catch (e) {
    db.close();
    if (/^SQLITE_BUSY/.test(String((e as { code?: string }).code))) {
      throw new Error(`Another sandbox process is using ${file}; stop it or choose another SANDBOX_DATA.`);
    }
    throw e;
  }

  const selectAll = db.prepare<[string], { key: string; value: string }>("SELECT key, value FROM kv WHERE tbl = ? ORDER BY key");
  const upsert = db.prepare<[string, string, string]>("INSERT INTO kv (tbl, key, value) VALUES (?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value");
  const remove = db.prepare<[string, string]>("DELETE FROM kv WHERE tbl = ? AND key = ?");
  const removeRange = db.prepare<[string, string, string]>("DELETE FROM kv WHERE tbl = ? AND key >= ? AND key < ?");
  let open = true;

  return {
    load<T>(table: string) {
      return selectAll.all(table).map((row) => [row.key, JSON.parse(row.value) as T] as [string, T]);
    },
    put(table, key, value) {
      upsert.run(table, key, JSON.stringify(value));
    },
    delete(table, key) {
      remove.run(table, key);
    },
    deletePrefix(table, prefix) {
      removeRange.run(table, prefix, prefix + PREFIX_END);
    },
    transaction<R>(fn: () => R): R {
      // better-sqlite3 nests inner transactions as savepoints.
      return db.transaction(fn)();
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}

// The durable store: one SQLite file in WAL mode, one table of (tbl, key, JSON value), with a
// redo log in front of it (redo-log.ts).
// Every acknowledged write is one append to the redo log before the call returns: the record is
// then in the OS page cache, so it survives the process being killed (SIGKILL), which is what the
// sandbox promises; it need not survive the machine losing power. Rows reach SQLite a little
// later, in one transaction per FOLD_EVERY_MS, and the log is emptied after that commit. Why:
// a SQLite commit writes whole 4 KB pages to the WAL and keeps a B-tree, about ten times the
// work of a 200-byte append, and it was the largest part of the sandbox's cost per SQS request;
// most SQS messages are sent, received and deleted within one fold, so their rows never reach
// SQLite at all. SQLite runs with synchronous=NORMAL: in WAL mode OFF only saves the fsyncs at
// checkpoints, and after a power loss OFF can leave a corrupt file where NORMAL loses at most the
// last commits (and a power loss can cost the log's last lines the same way).
// Replaying the log is idempotent (whole-value puts and deletes, in order), so a crash between a
// fold's commit and the log being emptied is harmless. Deletes by prefix are not logged: they
// fold first and then commit in SQLite directly, so the log never holds a write older than them.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { DurableStore } from "./contracts";
import type { RedoRecord } from "./redo-log";
import { openRedoLog, readRedoLog } from "./redo-log";

export interface SqliteStore extends DurableStore {
  close(): void;
}

// Every key of a prefix sorts between the prefix and the prefix followed by the highest code point.
const PREFIX_END = "\u{10FFFF}";
/** How often acknowledged writes are folded from the redo log into SQLite. */
const FOLD_EVERY_MS = 250;
/** Fold at once past these, so neither the log nor the rows held for SQLite grow without bound. */
const FOLD_AT_ROWS = 20_000;
const FOLD_AT_BYTES = 64 * 1024 * 1024;

/** A write inside an open transaction: a logged record, or a delete by prefix ("x"). */
type TxWrite = RedoRecord | [op: "x", table: string, prefix: string];

function chmodIfExists(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

export function openSqliteStore(dataDir: string): SqliteStore {
  // Only the sandbox's user may read its data (accounts, messages, sealed keys): the directory
  // 0700, the files 0600 — also when an older sandbox created them with the umask's 0644.
  // SQLite gives the WAL and journal files the database file's mode, so it is set first.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, "sandbox.db");
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) chmodIfExists(f, 0o600);
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
    // A row replaced or deleted leaves no copy in the page it was on (a secret rewritten sealed,
    // a message deleted); FAST does it only where the page is written anyway: no extra I/O.
    db.pragma("secure_delete = FAST");
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
  const applyToDb = (writes: Iterable<TxWrite>) => {
    for (const w of writes) {
      if (w[0] === "p") upsert.run(w[1], w[2], w[3]);
      else if (w[0] === "d") remove.run(w[1], w[2]);
      else removeRange.run(w[1], w[2], w[2] + PREFIX_END);
    }
  };

  // Writes a previous process acknowledged but had not folded: into SQLite before anything is read.
  const logFile = path.join(dataDir, "sandbox.redo");
  const replay = readRedoLog(logFile);
  if (replay.length > 0) db.transaction(() => applyToDb(replay))();
  const log = openRedoLog(logFile);
  if (log.size > 0) log.reset();

  /** Rows written to the log and not yet to SQLite: the last write per row, keyed by table and key. */
  const pending = new Map<string, RedoRecord>();
  const remember = (r: RedoRecord) => {
    const k = `${r[1]}\u0000${r[2]}`;
    pending.delete(k); // keep the map in write order; a row's last write is the one that counts
    pending.set(k, r);
  };
  const fold = () => {
    if (pending.size > 0) db.transaction(() => applyToDb(pending.values()))();
    pending.clear();
    if (log.size > 0) log.reset();
  };
  const logged = (records: RedoRecord[]) => {
    log.append(records);
    for (const r of records) remember(r);
    if (pending.size >= FOLD_AT_ROWS || log.size >= FOLD_AT_BYTES) fold();
  };
  const timer = setInterval(() => {
    try {
      fold();
    } catch (e) {
      // The rows stay in the log and in memory; the next fold tries again.
      console.error("sandbox: could not fold the redo log into SQLite:", e);
    }
  }, FOLD_EVERY_MS);
  timer.unref();

  /** Makes one transaction's writes durable: a line in the log, or, with a delete by prefix, a fold and a SQLite commit. */
  const commit = (writes: TxWrite[]) => {
    if (writes.some((w) => w[0] === "x")) {
      fold();
      db.transaction(() => applyToDb(writes))();
    } else logged(writes as RedoRecord[]);
  };
  let tx: TxWrite[] | undefined;
  const write = (w: TxWrite) => {
    if (tx) tx.push(w);
    else commit([w]);
  };
  let open = true;

  return {
    load<T>(table: string) {
      fold();
      return selectAll.all(table).map((row) => [row.key, JSON.parse(row.value) as T] as [string, T]);
    },
    put(table, key, value) {
      write(["p", table, key, JSON.stringify(value)]);
    },
    delete(table, key) {
      write(["d", table, key]);
    },
    deletePrefix(table, prefix) {
      write(["x", table, prefix]);
    },
    transaction<R>(fn: () => R): R {
      if (tx) {
        // Nested: like a savepoint, an inner failure undoes only the inner writes.
        const mark = tx.length;
        try {
          return fn();
        } catch (e) {
          tx.length = mark;
          throw e;
        }
      }
      const writes: TxWrite[] = (tx = []);
      let result: R;
      try {
        result = fn();
      } finally {
        tx = undefined;
      }
      commit(writes);
      return result;
    },
    close() {
      if (!open) return;
      open = false;
      clearInterval(timer);
      fold();
      log.close();
      db.close();
    },
  };
}

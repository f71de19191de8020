// The redo log in front of the SQLite store: an append-only file where every acknowledged write
// lands with one write(2) before the call returns, so it survives the process being killed, and
// which is folded into SQLite in batches a little later (see store.ts for why).
// One line per transaction: a JSON array of records, so a line cut short by a crash or a power
// loss does not parse and is dropped as a whole (a write that was cut short was never
// acknowledged: the call that made it had not returned).
import fs from "node:fs";

/** A put carries the value as JSON text; a delete carries none. */
export type RedoRecord = [op: "p", table: string, key: string, valueJson: string] | [op: "d", table: string, key: string];

export interface RedoLog {
  /** Appends one transaction's records (one line, one write). */
  append(records: readonly RedoRecord[]): void;
  /** Bytes written since the last reset. */
  readonly size: number;
  /** Empties the file, once everything in it is safely in SQLite. */
  reset(): void;
  close(): void;
}

/** One line: `[["p","table","key",<value JSON>],["d","table","key"]]`. The value is embedded as is, not re-escaped. */
function encodeLine(records: readonly RedoRecord[]): string {
  let line = "[";
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (i > 0) line += ",";
    line += r[0] === "p" ? `["p",${JSON.stringify(r[1])},${JSON.stringify(r[2])},${r[3]}]` : `["d",${JSON.stringify(r[1])},${JSON.stringify(r[2])}]`;
  }
  return line + "]\n";
}

function isRecord(r: unknown): r is unknown[] {
  return Array.isArray(r) && (r[0] === "p" ? r.length === 4 : r[0] === "d" && r.length === 3) && typeof r[1] === "string" && typeof r[2] === "string";
}

/**
 * The records of every complete transaction in the file, in order. Reading stops at the first
 * line that is incomplete or does not parse: nothing after a torn write was acknowledged either.
 */
export function readRedoLog(file: string): RedoRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: RedoRecord[] = [];
  let start = 0;
  for (let end = text.indexOf("\n", start); end >= 0; start = end + 1, end = text.indexOf("\n", start)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(start, end));
    } catch {
      break;
    }
    if (!Array.isArray(parsed) || !parsed.every(isRecord)) break;
    for (const r of parsed as unknown[][]) {
      out.push(r[0] === "p" ? ["p", r[1] as string, r[2] as string, JSON.stringify(r[3])] : ["d", r[1] as string, r[2] as string]);
    }
  }
  return out;
}

export function openRedoLog(file: string): RedoLog {
  // O_APPEND: after a reset (truncate to 0) the next write starts at the beginning again.
  const fd = fs.openSync(file, "a", 0o600);
  fs.fchmodSync(fd, 0o600); // a log an older sandbox created with the umask's mode
  let size = fs.fstatSync(fd).size;
  let open = true;
  return {
    append(records) {
      if (records.length === 0) return;
      const line = encodeLine(records);
      const length = Buffer.byteLength(line, "utf8");
      // One write(2) in the usual case; a short write (rare on a regular file) finishes from bytes.
      let written = fs.writeSync(fd, line, null, "utf8");
      if (written < length) {
        const buf = Buffer.from(line, "utf8");
        while (written < length) written += fs.writeSync(fd, buf, written, length - written);
      }
      size += length;
    },
    get size() {
      return size;
    },
    reset() {
      fs.ftruncateSync(fd, 0);
      size = 0;
    },
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

// The redo log in front of the SQLite store. A crash is simulated by copying the data directory
// while the store is still open (nothing folded, nothing closed) and opening the copy: that is
// the state a SIGKILL leaves behind. test/integration/sandbox/*-restart.test.ts kill real processes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openRedoLog, readRedoLog } from "@/sandbox/core/redo-log";
import type { SqliteStore } from "@/sandbox/core/store";
import { openSqliteStore } from "@/sandbox/core/store";

const dirs: string[] = [];
const stores: SqliteStore[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-redo-"));
  dirs.push(d);
  return d;
};
const open = (dir: string) => {
  const s = openSqliteStore(dir);
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The files as a killed process leaves them. */
function crashCopy(dir: string): string {
  const copy = tempDir();
  for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  return copy;
}

describe("redo log", () => {
  it("reads back complete lines in order, values intact", () => {
    const file = path.join(tempDir(), "x.redo");
    const log = openRedoLog(file);
    log.append([["p", "t", "a", JSON.stringify({ s: 'quote " and \n newline', n: 1 })]]);
    log.append([
      ["d", "t", "a"],
      ["p", "u", "k/ü", JSON.stringify("text")],
    ]);
    log.close();
    expect(readRedoLog(file)).toEqual([
      ["p", "t", "a", JSON.stringify({ s: 'quote " and \n newline', n: 1 })],
      ["d", "t", "a"],
      ["p", "u", "k/ü", JSON.stringify("text")],
    ]);
  });

  it("stops at a torn line: a cut-short transaction is dropped whole, and nothing after it is read", () => {
    const file = path.join(tempDir(), "x.redo");
    const log = openRedoLog(file);
    log.append([["p", "t", "a", "1"]]);
    log.append([
      ["p", "t", "b", "2"],
      ["p", "t", "c", "3"],
    ]);
    log.close();
    const whole = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, whole.slice(0, whole.length - 9)); // the second line cut mid-way
    expect(readRedoLog(file)).toEqual([["p", "t", "a", "1"]]);
    fs.writeFileSync(file, `${whole}\u0000\u0000\u0000\n["p","t","z","9"]\n`); // zeros after a power loss
    expect(readRedoLog(file).map((r) => r[2])).toEqual(["a", "b", "c"]);
  });

  it("is empty when the file does not exist, and after a reset", () => {
    const dir = tempDir();
    expect(readRedoLog(path.join(dir, "none.redo"))).toEqual([]);
    const log = openRedoLog(path.join(dir, "x.redo"));
    log.append([["p", "t", "a", "1"]]);
    expect(log.size).toBeGreaterThan(0);
    log.reset();
    log.append([["p", "t", "b", "2"]]);
    log.close();
    expect(readRedoLog(path.join(dir, "x.redo"))).toEqual([["p", "t", "b", "2"]]);
  });
});

describe("store with a redo log: crash safety", () => {
  it("keeps acknowledged writes that never reached SQLite", () => {
    const dir = tempDir();
    const s = open(dir);
    s.put("t", "a", { n: 1 });
    s.put("t", "b", { n: 2 });
    s.delete("t", "a");
    s.transaction(() => {
      s.put("t", "c", { n: 3 });
      s.put("t", "b", { n: 20 });
    });
    expect(readRedoLog(path.join(dir, "sandbox.redo")).length).toBeGreaterThan(0); // still only in the log
    const after = open(crashCopy(dir));
    expect(after.load("t")).toEqual([
      ["b", { n: 20 }],
      ["c", { n: 3 }],
    ]);
  });

  it("empties the log once its rows are in SQLite, and a replay over them changes nothing", () => {
    const dir = tempDir();
    const s = open(dir);
    s.put("t", "a", 1);
    const logged = fs.readFileSync(path.join(dir, "sandbox.redo"));
    expect(s.load("t")).toEqual([["a", 1]]); // reading folds
    expect(fs.statSync(path.join(dir, "sandbox.redo")).size).toBe(0);
    s.delete("t", "a");
    s.load("t");
    // A crash between a fold's commit and the log being emptied: the old lines replay again.
    const copy = crashCopy(dir);
    fs.writeFileSync(path.join(copy, "sandbox.redo"), logged);
    expect(open(copy).load("t")).toEqual([["a", 1]]);
  });

  it("never brings back a row deleted by prefix after a crash", () => {
    const dir = tempDir();
    const s = open(dir);
    s.put("t", "acct/a", 1);
    s.put("t", "other/b", 2);
    s.transaction(() => {
      s.deletePrefix("t", "acct/");
      s.put("t", "acct/c", 3);
    });
    s.put("t", "acct/d", 4);
    s.deletePrefix("t", "other/");
    expect(open(crashCopy(dir)).load("t")).toEqual([
      ["acct/c", 3],
      ["acct/d", 4],
    ]);
  });

  it("logs nothing for a transaction that throws, and an inner failure undoes only the inner writes", () => {
    const dir = tempDir();
    const s = open(dir);
    expect(() =>
      s.transaction(() => {
        s.put("t", "lost", 1);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    s.transaction(() => {
      s.put("t", "outer", 1);
      try {
        s.transaction(() => {
          s.put("t", "inner", 2);
          throw new Error("inner");
        });
      } catch {
        /* the outer transaction carries on */
      }
    });
    expect(open(crashCopy(dir)).load("t")).toEqual([["outer", 1]]);
  });
});

// The SQLite store: write-through rows survive reopening; deletePrefix removes exactly a prefix;
// a failed transaction leaves nothing behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "@/sandbox/core/store";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-store-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("SQLite durable store", () => {
  it("keeps rows across reopening, per table, in key order", () => {
    const dir = tempDir();
    const s1 = openSqliteStore(dir);
    s1.put("t", "b", { n: 2 });
    s1.put("t", "a", { n: 1 });
    s1.put("u", "a", "other table");
    s1.put("t", "a", { n: 10 });
    s1.close();
    const s2 = openSqliteStore(dir);
    expect(s2.load("t")).toEqual([["a", { n: 10 }], ["b", { n: 2 }]]);
    expect(s2.load("u")).toEqual([["a", "other table"]]);
    s2.delete("t", "a");
    expect(s2.load("t")).toEqual([["b", { n: 2 }]]);
    s2.close();
  });

  it("deletes by prefix only what starts with the prefix", () => {
    const s = openSqliteStore(tempDir());
    for (const k of ["111/a", "111/b", "1111/c", "112/a", "11/x", "111/\u{10FFFE}"]) s.put("t", k, k);
    s.deletePrefix("t", "111/");
    expect(s.load<string>("t").map(([k]) => k)).toEqual(["11/x", "1111/c", "112/a"]);
    s.close();
  });

  it("rolls back a transaction that throws, and nests", () => {
    const s = openSqliteStore(tempDir());
    expect(() =>
      s.transaction(() => {
        s.put("t", "a", 1);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(s.load("t")).toEqual([]);
    const r = s.transaction(() => {
      s.put("t", "a", 1);
      s.transaction(() => s.put("t", "b", 2));
      return "done";
    });
    expect(r).toBe("done");
    expect(s.load("t")).toHaveLength(2);
    s.close();
  });

  it("refuses a second sandbox on the same data directory", () => {
    const dir = tempDir();
    const first = openSqliteStore(dir);
    first.put("t", "a", 1);
    expect(() => openSqliteStore(dir)).toThrow(/Another sandbox process is using/);
    first.close();
    const again = openSqliteStore(dir);
    expect(again.load("t")).toEqual([["a", 1]]);
    again.close();
  });

  it("uses WAL mode", () => {
    const dir = tempDir();
    const s = openSqliteStore(dir);
    s.put("t", "a", 1);
    s.load("t"); // reading folds the redo log into SQLite
    expect(fs.existsSync(path.join(dir, "sandbox.db-wal"))).toBe(true);
    s.close();
  });
});

// Sealed secrets: AES-256-GCM under the sandbox's own key file, bound to the access key they
// belong to; the key file is made once, 0600, and kept.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createSealer, isSealed, loadOrCreateSealingKey } from "@/sandbox/core/sealing";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "sealing-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("sealing", () => {
  it("opens what it sealed, and only for the same access key and key", () => {
    const sealer = createSealer(randomBytes(32));
    const sealed = sealer.seal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAAAAAAAAAAAAAAAAA");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("wJalrXUtnFEMI");
    expect(sealer.seal("same", "k")).not.toBe(sealer.seal("same", "k")); // a fresh IV each time
    expect(sealer.open(sealed, "AKIAAAAAAAAAAAAAAAAA")).toBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    expect(() => sealer.open(sealed, "AKIABBBBBBBBBBBBBBBB")).toThrow(/does not open/);
    expect(() => createSealer(randomBytes(32)).open(sealed, "AKIAAAAAAAAAAAAAAAAA")).toThrow(/does not open/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(() => sealer.open(tampered, "AKIAAAAAAAAAAAAAAAAA")).toThrow();
  });

  it("generates the key file once, mode 0600, and reads the same key afterwards", () => {
    const dir = tempDir();
    const key = loadOrCreateSealingKey(dir);
    expect(key).toHaveLength(32);
    const file = path.join(dir, "sealing-key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSealingKey(dir).equals(key)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(["sealing-key"]); // no temporary file left behind
    fs.writeFileSync(file, "short\n");
    expect(() => loadOrCreateSealingKey(dir)).toThrow(/32-byte key/);
  });
});

// The module and the lab are written in the project's own words: no run of ten words in a row
// (ignoring case and punctuation) is taken from the source material.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SOURCE = path.resolve("../shared/seed/messaging-module.txt");
const RUN = 10;

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p, ext) : ext.test(d.name) ? [p] : [];
  });
}

// Vitest collects a skipped block's tests too, running its body: without the source (a user's
// clone has nothing beside it) the body must not read it.
const present = fs.existsSync(SOURCE);

describe.skipIf(!present)("the course content", () => {
  const source = present ? words(fs.readFileSync(SOURCE, "utf8")) : [];
  const runs = new Set<string>();
  for (let i = 0; i + RUN <= source.length; i++) runs.add(source.slice(i, i + RUN).join(" "));

  const content = [...files("labs/module", /\.(md|svg)$/), ...files("labs/order-system", /\.(md|sh|json|mjs|py)$/)];

  it("has content to check", () => {
    expect(content.length).toBeGreaterThan(20);
  });

  it.each(content)("%s shares no run of ten words with the source", (file) => {
    const w = words(fs.readFileSync(file, "utf8"));
    const copied: string[] = [];
    for (let i = 0; i + RUN <= w.length; i++) {
      const run = w.slice(i, i + RUN).join(" ");
      if (runs.has(run)) copied.push(run);
    }
    expect(copied).toEqual([]);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModule } from "@/lib/content/module";

// Every topic the module must teach, as a pattern that its text must contain.
const TOPICS: [string, RegExp][] = [
  ["the integration-services overview", /API Gateway[\s\S]*Step Functions|Step Functions[\s\S]*API Gateway/],
  ["standard and FIFO queues", /FIFO/],
  ["the message lifecycle", /in[- ]flight/i],
  ["visibility timeout and its extension", /ChangeMessageVisibility/],
  ["long polling", /WaitTimeSeconds/],
  ["batching", /SendMessageBatch|batch/i],
  ["partial batch failures", /batchItemFailures/],
  ["dead-letter queues", /maxReceiveCount/],
  ["an alarm on DLQ depth", /ApproximateNumberOfMessagesVisible/],
  ["FIFO deduplication", /MessageDeduplicationId/],
  ["idempotent consumers", /idempoten/i],
  ["SNS fan-out", /fan-out/i],
  ["subscriber types", /HTTPS?[\s\S]*email|email[\s\S]*HTTPS?/i],
  ["filter policies with data types", /String\.Array/],
  ["EventBridge buses and rules", /event bus/i],
  ["content patterns", /anything-but/],
  ["input transformers", /InputTemplate/],
  ["schedules", /rate\(|cron\(/],
  ["the schema registry", /schema registry/i],
  ["archive and replay", /replay/i],
  ["EventBridge vs SNS", /EventBridge (vs\.?|or|compared with) SNS|SNS (vs\.?|or|compared with) EventBridge/i],
  ["Step Functions states", /"Type": "Parallel"/],
  ["error handling", /"Catch"/],
  ["Standard vs Express", /Express/],
  ["the saga pattern", /saga/i],
  ["API Gateway direct integrations", /direct (service )?integration/i],
  ["choosing a pattern", /choos/i],
];

describe("the module", () => {
  it("teaches every topic of the source material", async () => {
    const module = await loadModule();
    const text = module.sections.map((s) => s.html).join("\n").replace(/<[^>]+>/g, "").replace(/&quot;/g, '"');
    const missing = TOPICS.filter(([, pattern]) => !pattern.test(text)).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it("teaches the corrected versions of the source's mistakes", async () => {
    const module = await loadModule();
    const html = module.sections.map((s) => s.html).join("\n");
    const corrections = html.split("<strong>Correction:</strong>").length - 1;
    expect(corrections).toBeGreaterThanOrEqual(3);
    expect(html).toMatch(/ResultPath/);
    expect(html).toMatch(/Number/);
  });

  it("has a table of contents of unique anchors that all exist", async () => {
    const module = await loadModule();
    const ids = module.toc.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    const html = module.sections.map((s) => s.html).join("\n");
    for (const entry of module.toc.filter((t) => t.depth === 3)) expect(html).toContain(`id="${entry.id}"`);
    expect(module.toc.filter((t) => t.depth === 2).map((t) => t.text)).toEqual(module.sections.map((s) => s.title));
  });

  it("draws its diagrams as inline, labelled SVG and highlights its code", async () => {
    const module = await loadModule();
    const html = module.sections.map((s) => s.html).join("\n");
    expect(html.match(/<figure class="diagram"><svg/g)?.length ?? 0).toBeGreaterThanOrEqual(8);
    expect(html).not.toMatch(/[┌┐└┘│─]{3}/);
    expect(html).toMatch(/<pre[^>]*class="shiki[^"]*"[^>]*tabindex="0"/);
    expect(html).not.toMatch(/tabindex="0"[^>]*tabindex="0"/);
    expect(html).toMatch(/<span style="color:#[0-9A-Fa-f]{6}/);
  });

  it("uses only SVG diagrams that are safe and self-describing", () => {
    const dir = "labs/module/diagrams";
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".svg"))) {
      const svg = fs.readFileSync(path.join(dir, file), "utf8");
      const base = file.replace(/\.svg$/, "");
      expect(svg, file).toMatch(/role="img"/);
      expect(svg, file).toContain(`<title id="${base}-title"`);
      expect(svg, file).not.toMatch(/<script|\son[a-z]+=|<foreignObject/i);
    }
  });

  it("refuses a section with a heading level that would break the outline", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "module-"));
    fs.cpSync("labs/module", dir, { recursive: true });
    fs.appendFileSync(path.join(dir, "02-sqs.md"), "\n## A stray second-level heading\n");
    await expect(loadModule(dir)).rejects.toThrow(/02-sqs\.md: use ### and deeper/);
  });
});

// A lab: labs/<lab>/lab.md and its steps in labs/<lab>/steps/NN-slug.md, validated at load.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { orderedMarkdownFiles, readFrontMatter } from "./front-matter";
import { renderMarkdown } from "./markdown";
import { labDir } from "./paths";
import { stepFrontMatterSchema, type StepFrontMatter } from "./step-schema";

export const DEFAULT_LAB = "order-system";
export const STEP_COUNT = 6;

const labSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(120),
    summary: z.string().min(10).max(400),
    module: z.string().min(1),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  })
  .strict();

export interface LabStep extends StepFrontMatter {
  html: string;
}
export interface Lab {
  id: string;
  title: string;
  summary: string;
  region: string;
  html: string;
  steps: LabStep[];
}

export async function loadLab(lab: string, dir = labDir(lab)): Promise<Lab> {
  const labFile = path.join(dir, "lab.md");
  if (!fs.existsSync(labFile)) throw new Error(`Lab "${lab}" has no ${path.relative(process.cwd(), labFile)}.`);
  const meta = readFrontMatter(labFile, labSchema);
  if (meta.data.id !== lab) throw new Error(`${labFile}: id "${meta.data.id}" does not match its folder "${lab}".`);
  const intro = await renderMarkdown(meta.body, { source: path.relative(process.cwd(), labFile), includeRoot: dir });

  const steps: LabStep[] = [];
  for (const file of orderedMarkdownFiles(path.join(dir, "steps"))) {
    const source = path.relative(process.cwd(), file);
    const { data, body } = readFrontMatter(file, stepFrontMatterSchema);
    const match = /^(\d{2})-(.+)\.md$/.exec(path.basename(file));
    if (!match || Number(match[1]) !== data.step || match[2] !== data.slug) {
      throw new Error(`${source}: the file name must be ${String(data.step).padStart(2, "0")}-${data.slug}.md to match its front matter.`);
    }
    if (/^#\s/m.test(body.replace(/```[\s\S]*?```/g, ""))) throw new Error(`${source}: no H1 in a step body; the title is the page heading.`);
    const rendered = await renderMarkdown(body, { source, includeRoot: dir, diagramsDir: path.join(dir, "diagrams") });
    steps.push({ ...data, html: rendered.html });
  }
  const numbers = steps.map((s) => s.step).join(",");
  const wanted = Array.from({ length: STEP_COUNT }, (_, i) => i + 1).join(",");
  if (numbers !== wanted) throw new Error(`Lab "${lab}" must have steps ${wanted}; found ${numbers || "none"}.`);
  return { id: lab, title: meta.data.title, summary: meta.data.summary, region: meta.data.region, html: intro.html, steps };
}

const cache = new Map<string, Promise<Lab>>();
/** Content never changes while the site runs, so each lab is rendered once per process. */
export function getLab(lab: string): Promise<Lab> {
  let entry = cache.get(lab);
  if (!entry) {
    entry = loadLab(lab);
    cache.set(lab, entry);
    entry.catch(() => cache.delete(lab));
  }
  return entry;
}

/** The labs this site serves. A URL naming anything else is a 404 before any file is touched. */
export const LABS = [DEFAULT_LAB] as const;
export function isKnownLab(lab: string): boolean {
  return (LABS as readonly string[]).includes(lab);
}

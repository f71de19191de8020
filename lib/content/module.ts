// The course module: labs/module/NN-slug.md sections rendered into one page with a table of contents.
import path from "node:path";
import GithubSlugger from "github-slugger";
import { z } from "zod";
import { orderedMarkdownFiles, readFrontMatter } from "./front-matter";
import { renderMarkdown, type TocEntry } from "./markdown";
import { MODULE_DIR } from "./paths";

export const MODULE_TITLE = "AWS Messaging and Integration Services";

const sectionSchema = z
  .object({
    title: z.string().min(3).max(120),
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  })
  .strict();

export interface ModuleSection {
  slug: string;
  title: string;
  html: string;
}
export interface ModuleContent {
  title: string;
  sections: ModuleSection[];
  toc: TocEntry[];
}

export async function loadModule(dir = MODULE_DIR): Promise<ModuleContent> {
  const slugger = new GithubSlugger();
  const sections: ModuleSection[] = [];
  const toc: TocEntry[] = [];
  const files = orderedMarkdownFiles(dir);
  if (files.length === 0) throw new Error(`${dir} holds no module sections.`);
  for (const file of files) {
    const source = path.relative(process.cwd(), file);
    const { data, body } = readFrontMatter(file, sectionSchema);
    if (/^#{1,2}\s/m.test(body.replace(/```[\s\S]*?```/g, ""))) throw new Error(`${source}: use ### and deeper inside a section; its title is the section's heading.`);
    const id = slugger.slug(data.title);
    if (sections.some((s) => s.slug === data.slug)) throw new Error(`${source}: slug "${data.slug}" is used twice.`);
    toc.push({ depth: 2, id, text: data.title });
    const rendered = await renderMarkdown(body, { source, diagramsDir: path.join(dir, "diagrams"), slugger, tocDepths: [3] });
    toc.push(...rendered.toc);
    sections.push({ slug: id, title: data.title, html: rendered.html });
  }
  return { title: MODULE_TITLE, sections, toc };
}

let cached: Promise<ModuleContent> | undefined;
/** Content never changes while the site runs, so it is rendered once per process. */
export function getModule(): Promise<ModuleContent> {
  cached ??= loadModule();
  return cached;
}

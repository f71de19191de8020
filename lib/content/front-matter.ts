import fs from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import type { z } from "zod";

/** Reads a Markdown file's front matter and validates it; the error names the file and every problem. */
export function readFrontMatter<S extends z.ZodType>(file: string, schema: S): { data: z.infer<S>; body: string } {
  const raw = fs.readFileSync(file, "utf8");
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object: gray-matter caches by content unless options are given.
    parsed = matter(raw, {});
  } catch (err) {
    throw new Error(`${path.relative(process.cwd(), file)}: front matter is not valid YAML (${(err as Error).message}).`);
  }
  const result = schema.safeParse(parsed.data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(front matter)"}: ${i.message}`).join("; ");
    throw new Error(`${path.relative(process.cwd(), file)}: invalid front matter: ${problems}.`);
  }
  return { data: result.data, body: parsed.content };
}

/** The Markdown files of a folder that start with a two-digit order prefix, in order. */
export function orderedMarkdownFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`Content folder ${path.relative(process.cwd(), dir)} does not exist.`);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{2}-[a-z0-9-]+\.md$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

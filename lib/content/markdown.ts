// Markdown → HTML for the module and the lab steps: marked for the parsing, shiki for code
// highlighting (it knows HCL, which the Terraform samples need), and two project extensions:
//   ![alt](diagram:name)         inlines labs/<…>/diagrams/name.svg as a captioned figure
//   {{include path/to/file}}     (alone on a line) shows a file of the lab as a code block
// Anything a page would render wrong (unknown diagram, missing include, empty alt text) throws,
// so a broken content file fails the build and the content test instead of a learner's page.
import fs from "node:fs";
import path from "node:path";
import GithubSlugger from "github-slugger";
import { Marked, type Tokens } from "marked";
import { createHighlighter, type Highlighter } from "shiki";

export const CODE_LANGUAGES = ["bash", "json", "python", "javascript", "typescript", "yaml", "hcl", "text"] as const;
const LANGUAGE_ALIASES: Record<string, string> = { sh: "bash", shell: "bash", js: "javascript", ts: "typescript", tf: "hcl", terraform: "hcl", yml: "yaml", "": "text", txt: "text", mjs: "javascript" };

export interface TocEntry {
  depth: number;
  id: string;
  text: string;
}

export interface RenderOptions {
  /** Folder holding the SVG diagrams that `diagram:` images name. */
  diagramsDir?: string;
  /** Folder that `{{include …}}` paths are relative to; includes outside it are refused. */
  includeRoot?: string;
  /** Shared across the sections of one page so heading ids stay unique. */
  slugger?: GithubSlugger;
  /** Headings at these depths are collected into `toc`. */
  tocDepths?: number[];
  /** Where the content came from, for error messages. */
  source: string;
}

let highlighterPromise: Promise<Highlighter> | undefined;
function highlighter(): Promise<Highlighter> {
  highlighterPromise ??= createHighlighter({ themes: ["github-light-high-contrast"], langs: CODE_LANGUAGES.filter((l) => l !== "text") });
  return highlighterPromise;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function normaliseLanguage(lang: string | undefined): string {
  const raw = (lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  return LANGUAGE_ALIASES[raw] ?? raw;
}

/** Reads a diagram and checks it is safe and accessible to inline. */
export function loadDiagram(diagramsDir: string, name: string, source: string): { svg: string; title: string } {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`${source}: diagram name "${name}" must be lower-case words joined by hyphens.`);
  const file = path.join(diagramsDir, `${name}.svg`);
  if (!fs.existsSync(file)) throw new Error(`${source}: diagram "${name}" has no file ${path.relative(process.cwd(), file)}.`);
  const svg = fs.readFileSync(file, "utf8").replace(/<\?xml[^>]*>\s*/, "").trim();
  if (/<script|\son[a-z]+\s*=|<foreignObject|javascript:/i.test(svg)) throw new Error(`${file}: diagrams may not contain scripts, event handlers or foreignObject.`);
  const title = /<title[^>]*>([\s\S]*?)<\/title>/.exec(svg)?.[1]?.trim();
  if (!svg.startsWith("<svg") || !title) throw new Error(`${file}: a diagram must be an <svg> with a <title>.`);
  if (!/role="img"/.test(svg)) throw new Error(`${file}: a diagram's <svg> needs role="img".`);
  return { svg, title };
}

function resolveInclude(includeRoot: string, relative: string, source: string): { code: string; lang: string } {
  const file = path.resolve(includeRoot, relative);
  if (!file.startsWith(path.resolve(includeRoot) + path.sep)) throw new Error(`${source}: include "${relative}" is outside ${includeRoot}.`);
  if (!fs.existsSync(file)) throw new Error(`${source}: include "${relative}" does not exist.`);
  return { code: fs.readFileSync(file, "utf8").replace(/\n$/, ""), lang: normaliseLanguage(path.extname(file).slice(1)) };
}

export interface Rendered {
  html: string;
  toc: TocEntry[];
}

export async function renderMarkdown(markdown: string, options: RenderOptions): Promise<Rendered> {
  const hl = await highlighter();
  const slugger = options.slugger ?? new GithubSlugger();
  const tocDepths = options.tocDepths ?? [];
  const toc: TocEntry[] = [];
  const { source } = options;

  // Includes are expanded first so the included file is highlighted like any other code block.
  const expanded = markdown.replace(/^\{\{include\s+([^\s}]+)\s*\}\}\s*$/gm, (_line, rel: string) => {
    if (!options.includeRoot) throw new Error(`${source}: {{include}} is not allowed here.`);
    const { code, lang } = resolveInclude(options.includeRoot, rel, source);
    const fence = code.includes("```") ? "````" : "```";
    return `${fence}${lang} title=${rel}\n${code}\n${fence}`;
  });

  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens);
        const text = inner.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        const id = slugger.slug(text);
        if (tocDepths.includes(token.depth)) toc.push({ depth: token.depth, id, text });
        return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`;
      },
      image(token: Tokens.Image) {
        if (!token.href.startsWith("diagram:")) throw new Error(`${source}: images must be diagrams (diagram:name); found ${token.href}.`);
        if (!options.diagramsDir) throw new Error(`${source}: diagrams are not allowed here.`);
        if (!token.text.trim()) throw new Error(`${source}: diagram ${token.href} needs a text alternative.`);
        const { svg, title } = loadDiagram(options.diagramsDir, token.href.slice("diagram:".length), source);
        return `<figure class="diagram">${svg}<figcaption>${escapeHtml(title)}</figcaption></figure>`;
      },
      code(token: Tokens.Code) {
        const lang = normaliseLanguage(token.lang);
        const title = /title=(\S+)/.exec(token.lang ?? "")?.[1];
        const known = (CODE_LANGUAGES as readonly string[]).includes(lang) && lang !== "text";
        const body = known
          ? hl.codeToHtml(token.text, { lang, theme: "github-light-high-contrast" })
          : `<pre class="shiki" tabindex="0"><code>${escapeHtml(token.text)}</code></pre>`;
        const label = title ? `<div class="code-title">${escapeHtml(title)}</div>` : "";
        // Both forms carry tabindex="0" (shiki adds it itself): long lines scroll, and keyboards must reach them.
        return `<div class="code-block" data-lang="${escapeHtml(lang)}">${label}${body}</div>\n`;
      },
      table(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Table) {
        const cell = (c: Tokens.TableCell, tag: "th" | "td") =>
          `<${tag}${tag === "th" ? ' scope="col"' : ""}${c.align ? ` style="text-align:${c.align}"` : ""}>${this.parser.parseInline(c.tokens)}</${tag}>`;
        const head = `<tr>${token.header.map((c) => cell(c, "th")).join("")}</tr>`;
        const rows = token.rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`).join("");
        return `<div class="table-wrap"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div>\n`;
      },
    },
  });
  try {
    return { html: await marked.parse(expanded), toc };
  } catch (err) {
    // marked appends a "please report this" line to every renderer error; ours are content errors.
    throw new Error(String((err as Error).message).replace(/\s*Please report this to https:\/\/github\.com\/markedjs\/marked\.?\s*$/, "").trim());
  }
}

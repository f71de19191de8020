import type { Metadata } from "next";
import { getModule, MODULE_TITLE } from "@/lib/content/module";

export const metadata: Metadata = { title: MODULE_TITLE };

export default async function ModulePage() {
  const content = await getModule();
  return (
    <div className="doc-layout">
      <nav className="toc" aria-labelledby="toc-heading">
        <h2 id="toc-heading">Contents</h2>
        <ol>
          {content.toc.map((entry) => (
            <li key={entry.id} className={`toc-depth-${entry.depth}`}>
              <a href={`#${entry.id}`}>{entry.text}</a>
            </li>
          ))}
        </ol>
      </nav>
      <article className="prose">
        <h1>{content.title}</h1>
        {content.sections.map((section) => (
          <section key={section.slug} aria-labelledby={section.slug}>
            <h2 id={section.slug}>{section.title}</h2>
            <div dangerouslySetInnerHTML={{ __html: section.html }} />
          </section>
        ))}
      </article>
    </div>
  );
}

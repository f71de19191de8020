// `npm run validate-content`: loads and renders the module and every lab exactly as the site does.
import { pathToFileURL } from "node:url";
import { LABS, loadLab } from "../lib/content/lab";
import { loadModule } from "../lib/content/module";

export async function validateContent(): Promise<void> {
  const module = await loadModule();
  console.log(`Module: ${module.sections.length} sections, ${module.toc.length} headings.`);
  for (const lab of LABS) {
    const loaded = await loadLab(lab);
    console.log(`Lab ${lab}: ${loaded.steps.length} steps.`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  validateContent().catch((err: unknown) => {
    console.error(`Content is invalid: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

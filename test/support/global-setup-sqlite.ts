// Migrates one template SQLite file with the committed migrations (`prisma migrate deploy`, as
// `npm start` does); each test file works on its own copy.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplateFile: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-sqlite-"));
  const file = path.join(dir, "template.db");
  await migrate(`file:${file}`, { quiet: true });
  project.provide("sqliteTemplateFile", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

// Whether the production build (.next) is older than what it is compiled from: `npm start` and
// the dashboard benchmark rebuild only then.
import fs from "node:fs";
import path from "node:path";

// Everything the built site is compiled from (the sandbox runs from source and needs no build;
// the site compiles in only its settings module, whose rules lib/env.ts shares).
const SOURCES = ["app", "lib", "checkers", "semantics", "sandbox/settings.ts", "labs", "instrumentation.ts", "next.config.ts", "package-lock.json", "prisma/schema.prisma", "tsconfig.json"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function buildIsStale(root = process.cwd()): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

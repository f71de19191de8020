#!/usr/bin/env node
// The `lab-check` bin: runs cli/lab-check.ts through tsx, with the repository's tsconfig so the
// `@/` imports resolve from any working directory.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
register({ tsconfig: path.join(root, "tsconfig.json") });
const { cli } = await import(pathToFileURL(path.join(root, "cli/lab-check.ts")).href);
cli();

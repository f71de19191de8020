import path from "node:path";

/** Content is read from the working directory the site runs in (the repository root). */
export const LABS_DIR = path.join(process.cwd(), "labs");
export const MODULE_DIR = path.join(LABS_DIR, "module");
export const labDir = (lab: string) => path.join(LABS_DIR, lab);

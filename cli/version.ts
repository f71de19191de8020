// lab-check's version is the package's: the platform learns it from X-Lab-Grader-Client.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_JSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../package.json");

export const CLI_VERSION: string = (JSON.parse(fs.readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;

/** The value of X-Lab-Grader-Client, by which the platform records an attempt's source as "cli". */
export const CLIENT_HEADER_VALUE = `lab-check/${CLI_VERSION}`;

import path from "node:path";

/** Where the embedded SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_SQLITE_FILE = ".data/lab-grader.db";

export type DatabaseProvider = "sqlite" | "postgresql";

/** The database URL to use: the one given, or the embedded SQLite file (absolute, so every process agrees). */
export function resolveDatabaseUrl(url: string | undefined, cwd = process.cwd()): string {
  if (url && url.trim() !== "") return url.trim();
  return `file:${path.resolve(cwd, DEFAULT_SQLITE_FILE)}`;
}

export function databaseProvider(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** The file path of a `file:` SQLite URL. */
export function sqliteFilePath(url: string, cwd = process.cwd()): string {
  const raw = url.replace(/^file:/, "").split("?")[0] ?? "";
  return path.resolve(cwd, raw);
}

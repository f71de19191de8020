// The site's secrets file and SQLite database are readable by their owner only (0600): the
// sandbox, run as SANDBOX_USER, can then not read them even where it can pass through the
// folder that holds them (.data, to reach its own .data/sandbox).
import fs from "node:fs";
import path from "node:path";
import { databaseProvider, sqliteFilePath } from "../../lib/db/url";

/** The site's files that hold secrets: the generated secrets and, for SQLite, the database with its side files. */
export function siteSecretFiles(dataDir: string, databaseUrl: string): string[] {
  const files = [path.resolve(dataDir, "secrets.json")];
  if (databaseProvider(databaseUrl) === "sqlite") {
    const db = sqliteFilePath(databaseUrl);
    files.push(db, `${db}-wal`, `${db}-shm`, `${db}-journal`);
  }
  return files;
}

/** The folders the sandbox's data may not be, nor contain: the one with the site's secrets, the one with its database. */
export function siteDirectories(dataDir: string, databaseUrl: string): string[] {
  const dirs = [path.resolve(dataDir)];
  if (databaseProvider(databaseUrl) === "sqlite") dirs.push(path.dirname(sqliteFilePath(databaseUrl)));
  return [...new Set(dirs)];
}

/** Sets 0600 on every existing secret file of the site (SQLite gives its -wal/-shm files the database's mode). */
export function protectSiteFiles(dataDir: string, databaseUrl: string): void {
  for (const file of siteSecretFiles(dataDir, databaseUrl)) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

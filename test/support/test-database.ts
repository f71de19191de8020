// Gives a test file its own migrated database, SQLite or PostgreSQL by the vitest project,
// and points DATABASE_URL at it before any lib module (which reads it once) is imported.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";

export type TestProvider = "sqlite" | "postgresql";

export function testProvider(): TestProvider {
  return process.env.TEST_DB_PROVIDER === "postgresql" ? "postgresql" : "sqlite";
}

/** Why this project's database cannot run here (empty when it can). */
export function databaseSkipReason(): string {
  return testProvider() === "postgresql" ? inject("pgSkipReason") : "";
}

export async function useTestDatabase(): Promise<string> {
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let url: string;
  if (testProvider() === "postgresql") {
    const adminUrl = new URL(inject("pgTemplateUrl"));
    adminUrl.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: adminUrl.href });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE lab_grader_template`);
    await admin.end();
    adminUrl.pathname = `/${name}`;
    url = adminUrl.href;
  } else {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-test-")), `${name}.db`);
    fs.copyFileSync(inject("sqliteTemplateFile"), file);
    url = `file:${file}`;
  }
  process.env.DATABASE_URL = url;
  return url;
}

// Applies the committed migrations to the configured database.
// SQLite: `prisma migrate deploy` (the JS schema engine handles it).
// PostgreSQL: Prisma 6.19's JS engine cannot run `migrate deploy` on Postgres here (it trips on
// the `name` type), so the same committed SQL files are applied in order by this small runner,
// each in a transaction, and recorded in a table of its own.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { bin, run } from "./run";
import { databaseProvider, sqliteFilePath } from "../../lib/db/url";

const PG_MIGRATIONS = "prisma/postgres/migrations";

export async function migrate(url: string, options: { quiet?: boolean } = {}): Promise<void> {
  if (databaseProvider(url) === "sqlite") {
    fs.mkdirSync(path.dirname(sqliteFilePath(url)), { recursive: true });
    await run(bin("prisma"), ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: options.quiet ? "ignore" : "inherit" });
    return;
  }
  await migratePostgres(url, options.quiet);
}

export async function migratePostgres(url: string, quiet = false): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_lab_grader_migrations" (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    // One runner at a time across instances.
    await client.query("SELECT pg_advisory_lock(424242)");
    const done = new Set((await client.query<{ name: string }>(`SELECT name FROM "_lab_grader_migrations"`)).rows.map((r) => r.name));
    const folders = fs
      .readdirSync(PG_MIGRATIONS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    for (const name of folders) {
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(PG_MIGRATIONS, name, "migration.sql"), "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(`INSERT INTO "_lab_grader_migrations" (name) VALUES ($1)`, [name]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${name} failed: ${(err as Error).message}`);
      }
      applied.push(name);
      if (!quiet) console.log(`Applied migration ${name}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(424242)").catch(() => undefined);
    await client.end();
  }
  return applied;
}

import fs from "node:fs";
import { describe, expect, it } from "vitest";

const read = (p: string) => fs.readFileSync(p, "utf8");
/** The schema with comments and the provider line taken out: what must be identical. */
const essence = (schema: string) =>
  schema
    .split("\n")
    .filter((line) => !line.trim().startsWith("//") || line.trim().startsWith("///"))
    .map((line) => line.replace(/provider\s*=\s*"(sqlite|postgresql)"/, 'provider = "<db>"'))
    .join("\n")
    .trim();

describe("the two Prisma schemas", () => {
  const sqlite = read("prisma/schema.prisma");
  const postgres = read("prisma/postgres/schema.prisma");

  it("differ only in the datasource provider", () => {
    expect(sqlite).toMatch(/datasource db \{\s*provider = "sqlite"/);
    expect(postgres).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(essence(postgres)).toBe(essence(sqlite));
  });

  it("each have committed migrations that create every model's table", () => {
    const models = [...sqlite.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
    expect(models).toEqual(expect.arrayContaining(["User", "Cohort", "Membership", "Connection", "Attempt", "StepProgress", "ApiToken", "Webhook", "WebhookDelivery", "AuditLog"]));
    for (const folder of ["prisma/migrations", "prisma/postgres/migrations"]) {
      const sql = fs
        .readdirSync(folder, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => read(`${folder}/${d.name}/migration.sql`))
        .join("\n");
      for (const model of models) expect(sql, `${folder} creates ${model}`).toContain(`CREATE TABLE "${model}"`);
    }
  });

  it("keep the migration lock files on their own providers", () => {
    expect(read("prisma/migrations/migration_lock.toml")).toContain('provider = "sqlite"');
    expect(read("prisma/postgres/migrations/migration_lock.toml")).toContain('provider = "postgresql"');
  });
});

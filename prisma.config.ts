// Prisma 6.19 with the JS schema engine and driver adapters: the native engines download from
// outside the npm registry, which this project's machines cannot reach (see README, "Database").
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseProvider, resolveDatabaseUrl } from "./lib/db/url";

// The CLI must always see a url, even for `generate`.
process.env.DATABASE_URL = resolveDatabaseUrl(process.env.DATABASE_URL);
const provider = databaseProvider(process.env.DATABASE_URL);
const folder = provider === "postgresql" ? "prisma/postgres" : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(folder, "schema.prisma"),
  migrations: { path: path.join(folder, "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "";
    if (provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url });
  },
});

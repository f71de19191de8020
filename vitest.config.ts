import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root };
const dataTests = ["test/integration/data/**/*.test.ts"];

// Three projects: pure unit tests; the data layer on a real SQLite file; the same data tests
// on a real PostgreSQL with the client generated from prisma/postgres/schema.prisma.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        resolve: { alias },
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"], exclude: dataTests, environment: "node" },
      },
      {
        extends: true,
        resolve: { alias },
        test: { name: "data-sqlite", include: dataTests, globalSetup: ["test/support/global-setup-sqlite.ts"], env: { TEST_DB_PROVIDER: "sqlite" } },
      },
      {
        extends: true,
        resolve: { alias: { ...alias, "@prisma/client": path.join(root, "node_modules/.prisma-postgres-test/index.js") } },
        test: { name: "data-postgres", include: dataTests, globalSetup: ["test/support/global-setup-postgres.ts"], env: { TEST_DB_PROVIDER: "postgresql" } },
      },
    ],
  },
});

import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "../env";
import { databaseProvider } from "./url";

/** A Prisma client on the driver adapter that matches the URL (SQLite by default, PostgreSQL when the URL says so). */
export function createPrismaClient(url: string): PrismaClient {
  const adapter =
    databaseProvider(url) === "postgresql" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  return new PrismaClient({ adapter });
}

// One client per process: Next's dev server re-imports modules, so it is kept on globalThis.
const globalForPrisma = globalThis as unknown as { labGraderPrisma?: PrismaClient };

export const db: PrismaClient = globalForPrisma.labGraderPrisma ?? createPrismaClient(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalForPrisma.labGraderPrisma = db;

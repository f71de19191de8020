// Everything a process needs before it touches the database: settings in process.env, the right
// Prisma client generated, migrations applied, demo accounts seeded when wanted.
import fs from "node:fs";
import { databaseProvider, resolveDatabaseUrl } from "../../lib/db/url";
import { migrate } from "./migrate";
import { bin, run } from "./run";
import { loadOrCreateSecrets } from "./secrets";

export function prepareEnvironment(): void {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dataDir = process.env.DATA_DIR || ".data";
  process.env.DATABASE_URL = resolveDatabaseUrl(process.env.DATABASE_URL);
  const secrets = loadOrCreateSecrets(dataDir);
  process.env.AUTH_SECRET ||= secrets.AUTH_SECRET;
  process.env.SANDBOX_ADMIN_TOKEN ||= secrets.SANDBOX_ADMIN_TOKEN;
  process.env.SANDBOX_DATA ||= `${dataDir}/sandbox`;
  process.env.NEXTAUTH_URL ||= `http://localhost:${process.env.PORT || "3000"}`;
}

/** The provider the generated Prisma client was built for. */
function generatedProvider(): string | null {
  const file = "node_modules/.prisma/client/schema.prisma";
  if (!fs.existsSync(file)) return null;
  return /provider\s*=\s*"(sqlite|postgresql)"/.exec(fs.readFileSync(file, "utf8").split("datasource")[1] ?? "")?.[1] ?? null;
}

export async function prepareDatabase(options: { quiet?: boolean } = {}): Promise<void> {
  const url = process.env.DATABASE_URL!;
  const provider = databaseProvider(url);
  if (generatedProvider() !== provider) {
    await run(bin("prisma"), ["generate"], { env: process.env, stdio: options.quiet ? "ignore" : "inherit" });
  }
  await migrate(url, options);
}

export async function seedIfWanted(): Promise<void> {
  // Imported late: lib/env reads process.env once, after prepareEnvironment has filled it.
  const { env, seedDemoAccounts: wanted } = await import("../../lib/env");
  if (!wanted(env)) return;
  const { createPrismaClient } = await import("../../lib/db/client");
  const { seedDemoAccounts } = await import("../../lib/demo-accounts");
  const db = createPrismaClient(env.DATABASE_URL);
  try {
    const created = await seedDemoAccounts(db);
    if (created.length) console.log(`Demo accounts created: ${created.join(", ")} (passwords in the README).`);
  } finally {
    await db.$disconnect();
  }
}

// Starts a throwaway PostgreSQL, generates a Prisma client for the PostgreSQL schema (into
// node_modules/.prisma-postgres-test, which the postgres test project aliases @prisma/client to),
// and migrates a template database that each test file copies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "../../scripts/lib/migrate";
import { findPostgresBin, startPostgres } from "./postgres-server";

export const PG_CLIENT_DIR = "node_modules/.prisma-postgres-test";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplateUrl: string;
    pgSkipReason: string;
  }
}

function generatePostgresClient(url: string) {
  const dir = "node_modules/.cache/lab-grader-pg";
  fs.mkdirSync(dir, { recursive: true });
  const schema = fs
    .readFileSync("prisma/postgres/schema.prisma", "utf8")
    .replace('provider   = "prisma-client-js"', `provider   = "prisma-client-js"\n  output     = "${path.relative(dir, PG_CLIENT_DIR)}"`);
  fs.writeFileSync(path.join(dir, "schema.prisma"), schema);
  execFileSync("node_modules/.bin/prisma", ["generate", "--schema", path.join(dir, "schema.prisma")], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

export default async function setup(project: TestProject) {
  const found = findPostgresBin();
  if ("missing" in found) {
    console.warn(`\n[data-postgres] Skipping the PostgreSQL data-layer tests: ${found.missing}\n`);
    project.provide("pgSkipReason", found.missing);
    project.provide("pgTemplateUrl", "");
    return;
  }
  const server = await startPostgres(found.dir);
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query("CREATE DATABASE lab_grader_template");
  await admin.end();
  const templateUrl = server.url("lab_grader_template");
  await migratePostgres(templateUrl, true);
  generatePostgresClient(templateUrl);
  project.provide("pgSkipReason", "");
  project.provide("pgTemplateUrl", templateUrl);
  return () => server.stop();
}

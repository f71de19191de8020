import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseProvider, resolveDatabaseUrl, sqliteFilePath } from "@/lib/db/url";

describe("database URLs", () => {
  it("default to the embedded SQLite file, absolute", () => {
    expect(resolveDatabaseUrl(undefined, "/srv/app")).toBe("file:/srv/app/.data/lab-grader.db");
    expect(resolveDatabaseUrl("  ", "/srv/app")).toBe("file:/srv/app/.data/lab-grader.db");
  });
  it("pick the provider from the scheme", () => {
    expect(databaseProvider("postgresql://u@h/db")).toBe("postgresql");
    expect(databaseProvider("postgres://u@h/db")).toBe("postgresql");
    expect(databaseProvider("file:./dev.db")).toBe("sqlite");
  });
  it("find the SQLite file", () => {
    expect(sqliteFilePath("file:./x/y.db?connection_limit=1", "/srv")).toBe(path.resolve("/srv/x/y.db"));
  });
});

// parseMatrixQuery never throws: whatever a URL holds, the page gets a usable query.
import { describe, expect, it } from "vitest";
import { matrixQueryToParams, normalizeMatrixQuery, parseMatrixQuery } from "@/lib/cohorts/matrix-query";

describe("parseMatrixQuery", () => {
  it("gives the defaults for an empty query", () => {
    expect(parseMatrixQuery(new URLSearchParams())).toEqual({ page: 1, pageSize: 50, sort: "name", dir: "asc" });
  });

  it("reads every parameter from URLSearchParams and from a Next searchParams record", () => {
    const want = { page: 3, pageSize: 20, sort: "progress", dir: "desc", search: "ada", stuckOn: 2, inactiveDays: 7 };
    expect(parseMatrixQuery(new URLSearchParams("page=3&pageSize=20&sort=progress&dir=desc&search=+ada+&stuckOn=2&inactiveDays=7"))).toEqual(want);
    expect(parseMatrixQuery({ page: ["3", "9"], pageSize: "20", sort: "progress", dir: "desc", search: "ada", stuckOn: "2", inactiveDays: "7", other: "x" })).toEqual(want);
  });

  it("clamps numbers out of range and ignores what it cannot read", () => {
    expect(parseMatrixQuery(new URLSearchParams("page=0&pageSize=100000&inactiveDays=9999"))).toMatchObject({ page: 1, pageSize: 200, inactiveDays: 365 });
    expect(parseMatrixQuery(new URLSearchParams("page=-4&pageSize=0&inactiveDays=0"))).toMatchObject({ page: 1, pageSize: 1, inactiveDays: 1 });
    const q = parseMatrixQuery(new URLSearchParams("page=abc&pageSize=1e3&sort=passwordHash&dir=sideways&stuckOn=7&search=%20%20"));
    expect(q).toEqual({ page: 1, pageSize: 50, sort: "name", dir: "asc" });
    expect(parseMatrixQuery(new URLSearchParams("stuckOn=0"))).not.toHaveProperty("stuckOn");
    expect(parseMatrixQuery(new URLSearchParams("page=99999999999999999999"))).toMatchObject({ page: 1 });
  });

  it("cuts a search to 100 characters", () => {
    expect(parseMatrixQuery(new URLSearchParams({ search: "x".repeat(500) })).search).toHaveLength(100);
  });

  it("round-trips through matrixQueryToParams, leaving defaults out", () => {
    const q = normalizeMatrixQuery({ page: 2, sort: "last-active", dir: "desc", stuckOn: 4 });
    expect(matrixQueryToParams(q).toString()).toBe("page=2&sort=last-active&dir=desc&stuckOn=4");
    expect(parseMatrixQuery(matrixQueryToParams(q))).toEqual(q);
    expect(matrixQueryToParams(normalizeMatrixQuery({})).toString()).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/safe-redirect";

describe("safeCallbackPath", () => {
  it("keeps same-site paths", () => {
    expect(safeCallbackPath("/labs/order-system/steps/2?x=1")).toBe("/labs/order-system/steps/2?x=1");
  });
  it.each(["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", "/\nfoo", 42, undefined, "/" + "a".repeat(600)])(
    "turns %j into the fallback",
    (raw) => {
      expect(safeCallbackPath(raw, "/home")).toBe("/home");
    },
  );
});

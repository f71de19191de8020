/** A same-site path to go to after sign-in; anything else (absolute URLs, //host, backslashes) becomes the fallback. */
export function safeCallbackPath(raw: unknown, fallback = "/labs/order-system"): string {
  if (typeof raw !== "string" || raw.length > 500) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f]/.test(raw)) return fallback;
  return raw;
}

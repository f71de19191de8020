// A webhook URL must pass the outbound-address policy (ARCHITECTURE.md "Security model") when it
// is registered AND before every delivery: DNS can change after registration, and the platform
// would otherwise post, on an instructor's say-so, into the host's own network.
import { checkEndpoint, outboundPolicy } from "@/lib/connections/endpoint-check";
import type { OutboundPolicy, Resolver, Verdict } from "@/semantics/net";

export const MAX_URL_LENGTH = 2_000;

/** How URLs are judged; tests inject a policy and a resolver as the endpoint-check tests do. */
export interface UrlPolicyDeps {
  policy?: OutboundPolicy;
  resolve?: Resolver;
}

/** Cheap checks that need no DNS: length, syntax, scheme, no credentials. Returns the normalised URL. */
export function parseWebhookUrl(input: string): { ok: true; url: string } | { ok: false; reason: string } {
  const text = input.trim();
  if (text === "") return { ok: false, reason: "Enter the URL that should receive the events." };
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL is too long: use at most ${MAX_URL_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "That is not a valid URL. It looks like https://hooks.example.com/lab-grader." };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `Only http and https URLs are allowed, not ${url.protocol.replace(/:$/, "")}.` };
  }
  // Credentials in a URL end up in logs and on screens; receivers verify the signature instead.
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: "The URL must not contain a user name or password. Verify the signature header instead." };
  }
  if (url.href.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL is too long: use at most ${MAX_URL_LENGTH} characters.` };
  return { ok: true, url: url.href };
}

/** The full judgement: the cheap checks, then the address policy after DNS resolution. */
export async function checkWebhookUrl(input: string, deps: UrlPolicyDeps = {}): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const parsed = parseWebhookUrl(input);
  if (!parsed.ok) return parsed;
  const verdict: Verdict = await checkEndpoint(parsed.url, deps.policy ?? outboundPolicy(), deps.resolve);
  return verdict.ok ? parsed : { ok: false, reason: verdict.reason };
}

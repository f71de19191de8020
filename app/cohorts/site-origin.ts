// The address learners are sent to in a join link: the configured public URL when there is one,
// else the address this request came in on.
import { headers } from "next/headers";
import { env } from "@/lib/env";

export async function siteOrigin(): Promise<string> {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL.replace(/\/+$/, "");
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
}

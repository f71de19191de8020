import { db } from "./db/client";
import { env } from "./env";

export interface Health {
  status: "ok" | "degraded";
  db: "ok" | "unavailable";
  sandbox: "ok" | "off" | "unavailable";
}

async function sandboxHealth(): Promise<Health["sandbox"]> {
  if (env.SANDBOX === "off") return "off";
  try {
    const res = await fetch(`http://${env.SANDBOX_HOST}:${env.SANDBOX_PORT}/_sandbox/health`, { signal: AbortSignal.timeout(1000), cache: "no-store" });
    return res.ok ? "ok" : "unavailable";
  } catch {
    return "unavailable";
  }
}

export async function checkHealth(): Promise<Health> {
  const [dbState, sandbox] = await Promise.all([
    db.$queryRawUnsafe("SELECT 1").then(
      () => "ok" as const,
      () => "unavailable" as const,
    ),
    sandboxHealth(),
  ]);
  // The site works without the sandbox (AWS and LocalStack targets); without its database it does not.
  return { status: dbState === "ok" ? "ok" : "degraded", db: dbState, sandbox };
}

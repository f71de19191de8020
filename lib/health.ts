import { sandboxLocalUrl } from "../sandbox/settings";
import { db } from "./db/client";
import { env } from "./env";
import { sandboxProbe } from "./sandbox-health";

export interface Health {
  status: "ok" | "degraded";
  db: "ok" | "unavailable";
  /** The built-in sandbox: "down" while `npm start` restarts it; "off" with SANDBOX=off (LocalStack or AWS instead). */
  sandbox: "up" | "down" | "off";
}

const sandboxState = sandboxProbe(sandboxLocalUrl(env));

export async function checkHealth(): Promise<Health> {
  const [dbState, sandbox] = await Promise.all([
    db.$queryRawUnsafe("SELECT 1").then(
      () => "ok" as const,
      () => "unavailable" as const,
    ),
    env.SANDBOX === "off" ? ("off" as const) : sandboxState(),
  ]);
  // The site works without the sandbox (AWS and LocalStack targets); without its database it does not.
  return { status: dbState === "ok" ? "ok" : "degraded", db: dbState, sandbox };
}

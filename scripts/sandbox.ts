// `npm run sandbox`: the built-in AWS sandbox on its own. Settings come from the environment
// (SANDBOX_HOST, SANDBOX_PORT, SANDBOX_DATA, SANDBOX_ADMIN_TOKEN, SANDBOX_PUBLIC_URL,
// ENDPOINT_POLICY, ALLOWED_ENDPOINTS; SANDBOX_MODE, SANDBOX_LAMBDA_EXEC and DEPLOYMENT_MODE by the
// rule in lib/sandbox-mode.ts, so DEPLOYMENT_MODE=hosted makes the sandbox hosted); it prints the
// URL and shuts down cleanly on SIGINT/SIGTERM.
import { readSandboxMode } from "@/lib/sandbox-mode";
import { createSandbox } from "@/sandbox";
import { parseAllowedEndpoints } from "@/semantics/net";

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(2);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) fail(`${name} must be one of ${allowed.join(", ")}, not "${value}".`);
  return value as T;
}

/** The mode and Lambda switch, by the one rule (lib/sandbox-mode.ts); an invalid setting is a usage error. */
function modeSettings() {
  try {
    return readSandboxMode(process.env);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
}

async function main() {
  const env = process.env;
  // Port 0 (any free port) is allowed here, for tests; lib/env's SANDBOX_PORT is the site's view.
  const port = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : 4566;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SANDBOX_PORT must be a port number, not "${env.SANDBOX_PORT}".`);
  const { mode, lambdaExec } = modeSettings();
  const endpointPolicy = oneOf("ENDPOINT_POLICY", env.ENDPOINT_POLICY, ["local", "hosted"] as const, mode);
  const sandbox = await createSandbox({
    host: env.SANDBOX_HOST || "127.0.0.1",
    port,
    dataDir: env.SANDBOX_DATA || ".data/sandbox",
    ...(env.SANDBOX_ADMIN_TOKEN ? { adminToken: env.SANDBOX_ADMIN_TOKEN } : {}),
    mode,
    lambdaExec,
    endpointPolicy,
    allowedEndpoints: parseAllowedEndpoints(env.ALLOWED_ENDPOINTS),
    ...(env.SANDBOX_PUBLIC_URL ? { publicUrl: env.SANDBOX_PUBLIC_URL } : {}),
  });
  console.log(`Sandbox listening on ${sandbox.url} (mode ${mode}, data in ${sandbox.dataDir})`);
  if (!env.SANDBOX_ADMIN_TOKEN) console.log(`Admin token: ${sandbox.dataDir}/admin-token`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${signal}, shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error("sandbox: shutdown failed:", e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error("sandbox: failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});

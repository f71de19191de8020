// `npm run sandbox`: the built-in AWS sandbox on its own. Its settings are read in one module,
// sandbox/settings.ts (SANDBOX_*, ENDPOINT_POLICY, ALLOWED_ENDPOINTS, and DEPLOYMENT_MODE, which
// makes the sandbox hosted); it prints the URL and shuts down cleanly on SIGINT/SIGTERM.
// `npm start` runs this same script as a supervised child with only those variables set.
import { createSandbox } from "@/sandbox";
import { readSandboxSettings, sandboxOptions } from "@/sandbox/settings";

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(2);
}

/** The settings by the one module's rules; an invalid setting is a usage error (exit 2), which `npm start` does not retry. */
function settings() {
  try {
    return readSandboxSettings(process.env);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
}

async function main() {
  const options = sandboxOptions(settings());
  const sandbox = await createSandbox(options);
  console.log(`Sandbox listening on ${sandbox.url} (mode ${options.mode}, data in ${sandbox.dataDir})`);
  if (!options.adminToken) console.log(`Admin token: ${sandbox.dataDir}/admin-token`);
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

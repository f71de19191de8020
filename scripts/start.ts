// `npm start`: prepare the database, build the site if the sources changed, and serve it next to
// the built-in sandbox. `npm run dev` (--dev) serves with hot reload instead of a production build.
// Each process is supervised on its own: when one dies it is restarted with backoff while the
// other keeps serving (/api/health says `sandbox: "down"` meanwhile); Ctrl-C, SIGTERM or SIGHUP stops both.
import { spawn } from "node:child_process";
import { sandboxLocalUrl } from "../sandbox/settings";
import { buildIsStale } from "./lib/build-freshness";
import { prepareDatabase, prepareEnvironment, seedIfWanted } from "./lib/prepare";
import { bin, run } from "./lib/run";
import { protectSiteFiles } from "./lib/site-files";
import { startSupervisedSandbox } from "./lib/supervise-sandbox";
import { Supervisor } from "./lib/supervisor";

let sandbox: Supervisor | null = null;

async function main() {
  const dev = process.argv.includes("--dev");
  prepareEnvironment();
  // Imported late (lib/env reads process.env once, after prepareEnvironment has filled it), and
  // early enough that an invalid setting — SANDBOX_MODE=local on a hosted deployment, say —
  // stops the start before anything runs. The sandbox process applies the same rules itself.
  const { env, sandboxMode } = await import("../lib/env");
  await prepareDatabase();
  await seedIfWanted();
  if (!dev && buildIsStale()) {
    console.log("Building the site (first start, or the sources changed)…");
    await run("npx", ["tsx", "scripts/build.ts"], { env: { ...process.env, NODE_ENV: "production" } });
  }
  protectSiteFiles(env.DATA_DIR, env.DATABASE_URL);

  if (env.SANDBOX === "on") {
    if (!env.SANDBOX_USER && process.getuid?.() === 0 && sandboxMode(env) === "hosted") {
      console.warn("The sandbox runs as root, like the site: set SANDBOX_USER (nobody, say) so that it cannot read the site's secrets file and database.");
    }
    sandbox = await startSupervisedSandbox({ settings: env, dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL, parentEnv: process.env });
  }
  const port = String(env.PORT);
  const site = new Supervisor({
    name: "The site",
    spawn: () =>
      spawn(bin("next"), [dev ? "dev" : "start", "-p", port], {
        stdio: "inherit",
        env: { ...process.env, NODE_ENV: dev ? "development" : "production" },
      }),
    ownGroup: true,
  });
  await site.start();
  console.log(`Lab Grader: http://localhost:${port}${sandbox ? ` · sandbox: ${env.SANDBOX_PUBLIC_URL || sandboxLocalUrl(env)} (${sandboxMode(env)} mode)` : ""}`);

  // The children lead process groups of their own, so the terminal's signals reach them only
  // through here — SIGHUP included (a closed terminal), which would otherwise leave them running.
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const forward = signal === "SIGHUP" ? "SIGTERM" : signal;
      Promise.all([site.stop(forward), sandbox?.stop(forward)]).then(() => process.exit(0));
    });
  }
}

main().catch(async (err: unknown) => {
  console.error(`Lab Grader could not start: ${err instanceof Error ? err.message : String(err)}`);
  await sandbox?.stop();
  process.exit(1);
});

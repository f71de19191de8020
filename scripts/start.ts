// `npm start`: prepare the database, build the site if the sources changed, and serve it.
// `npm run dev` (--dev) serves with hot reload instead of a production build.
import { spawn } from "node:child_process";
import { buildIsStale } from "./lib/build-freshness";
import { prepareDatabase, prepareEnvironment, seedIfWanted } from "./lib/prepare";
import { bin, run } from "./lib/run";
import { sandboxUrl, startSandboxProcess } from "./lib/sandbox-process";

async function main() {
  const dev = process.argv.includes("--dev");
  prepareEnvironment();
  // Imported late (lib/env reads process.env once, after prepareEnvironment has filled it), and
  // early enough that an invalid setting — SANDBOX_MODE=local on a hosted deployment, say —
  // stops the start before anything runs. The sandbox process applies the same rule itself.
  const { env, sandboxMode } = await import("../lib/env");
  await prepareDatabase();
  await seedIfWanted();
  if (!dev && buildIsStale()) {
    console.log("Building the site (first start, or the sources changed)…");
    await run("npx", ["tsx", "scripts/build.ts"], { env: { ...process.env, NODE_ENV: "production" } });
  }
  const sandbox = process.env.SANDBOX === "off" ? null : await startSandboxProcess();
  const port = process.env.PORT || "3000";
  const site = spawn(bin("next"), [dev ? "dev" : "start", "-p", port], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: dev ? "development" : "production" },
  });
  console.log(`Lab Grader: http://localhost:${port}${sandbox ? ` · sandbox: ${process.env.SANDBOX_PUBLIC_URL || sandboxUrl()} (${sandboxMode(env)} mode)` : ""}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      site.kill(signal);
      sandbox?.kill(signal);
    });
  }
  // Either process ending ends both: a site without its sandbox (or the reverse) is half a product.
  site.on("exit", (code) => {
    sandbox?.kill("SIGTERM");
    process.exit(code ?? 0);
  });
  sandbox?.on("exit", (code) => {
    if (site.exitCode === null) {
      console.error(`The sandbox stopped (exit ${code}); stopping the site too.`);
      site.kill("SIGTERM");
    }
  });
}

main().catch((err: unknown) => {
  console.error(`Lab Grader could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

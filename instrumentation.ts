// Next.js calls register() once when a server starts. The webhook delivery worker runs in the
// Node.js server process (never in the Edge runtime, which has no database driver); the import
// is dynamic so the Edge bundle does not pull in Prisma. WEBHOOK_POLL_MS=off (lib/env) runs none.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not by the operator, and inlined per bundle: lib/env
  // cannot be imported before we know this is the Node.js runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Prerendering during `next build` may load instrumentation too; no worker belongs in a build.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    const { startWebhookWorker } = await import("./lib/webhooks/worker");
    startWebhookWorker();
  } catch (err) {
    // A worker that cannot start must not stop the site; deliveries wait in the database.
    console.error(`The webhook worker did not start: ${err instanceof Error ? err.message : "unknown error"}`);
  }
}

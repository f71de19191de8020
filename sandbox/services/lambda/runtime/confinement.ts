// What learners' Lambda code runs without on this machine, said once at start-up: unconfined
// (no bubblewrap) in local mode, not at all in hosted mode, and which limits fall back when a
// cgroup controller is not writable.
import { jailSupport } from "./jail";
import { cgroupParents, type Controller } from "./limits";

const FALLBACK: Record<Controller, string> = {
  memory: "MemorySize bounds only the Node.js heap",
  pids: "the number of processes is not bounded",
  cpu: "a function may keep every CPU busy until RLIMIT_CPU or its Timeout stops it",
};

/** The notice for a sandbox in this mode, or undefined when everything is in force. */
export function confinementNotice(mode: "local" | "hosted"): string | undefined {
  const lines: string[] = [];
  const support = jailSupport();
  if (!support.ok) {
    lines.push(
      mode === "hosted"
        ? `sandbox: Lambda functions will not run: a hosted sandbox runs learners' code only inside a bubblewrap jail, and ${support.reason}.`
        : `sandbox: Lambda functions run UNCONFINED (this user's files and network are in their reach): ${support.reason}. Their Timeout, CPU-time and file-size limits still apply.`,
    );
  }
  const parents = cgroupParents();
  const missing = (Object.keys(FALLBACK) as Controller[]).filter((c) => parents[c] === undefined);
  if (missing.length > 0 && (support.ok || mode === "local")) {
    lines.push(`sandbox: no writable cgroup v1 ${missing.join(", ")} controller for Lambda invocations, so ${missing.map((c) => FALLBACK[c]).join("; ")}.`);
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}

const said = new Set<string>();

/** console.warn of the notice, once per process (tests start many sandboxes). */
export function announceConfinement(mode: "local" | "hosted"): void {
  const notice = confinementNotice(mode);
  if (notice === undefined || said.has(notice)) return;
  said.add(notice);
  console.warn(notice);
}

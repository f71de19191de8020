// The built-in sandbox's mode: one rule, for the site (lib/env.ts), `npm start` and the sandbox
// process (`npm run sandbox`, which validates only the settings it uses — not the site's whole
// environment). Hosted means hosted: DEPLOYMENT_MODE=hosted makes the sandbox hosted (issued
// keys only, learners' Lambda code off unless SANDBOX_LAMBDA_EXEC=on).
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const sandboxModeFields = {
  /** local: one machine, loopback allowed, demo accounts seeded. hosted: a shared deployment. */
  DEPLOYMENT_MODE: z.preprocess(emptyAsUndefined, z.enum(["local", "hosted"]).default("local")),
  /** The built-in sandbox's mode; DEPLOYMENT_MODE when unset (read it through sandboxMode()). */
  SANDBOX_MODE: z.preprocess(emptyAsUndefined, z.enum(["local", "hosted"]).optional()),
  /** Run learners' Lambda code in the sandbox; on in local mode, off in hosted mode when unset. */
  SANDBOX_LAMBDA_EXEC: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).optional()),
};

export type SandboxModeSettings = z.infer<z.ZodObject<typeof sandboxModeFields>>;

/** A hosted deployment never runs a local-mode sandbox: the setting that says so is refused, not overruled in silence. */
export const noLocalSandboxWhenHosted = {
  check: (e: SandboxModeSettings) => !(e.DEPLOYMENT_MODE === "hosted" && e.SANDBOX_MODE === "local"),
  issue: {
    path: ["SANDBOX_MODE"],
    message: "SANDBOX_MODE=local contradicts DEPLOYMENT_MODE=hosted: a hosted deployment's sandbox is hosted (leave SANDBOX_MODE unset)",
  },
};

/** SANDBOX_MODE, else DEPLOYMENT_MODE. */
export function sandboxMode(e: SandboxModeSettings): "local" | "hosted" {
  return e.SANDBOX_MODE ?? e.DEPLOYMENT_MODE;
}

/** SANDBOX_LAMBDA_EXEC, else on only in local mode (hosted mode refuses "on": noUnjailedCodeWhenHosted). */
export function sandboxLambdaExec(e: SandboxModeSettings): boolean {
  return (e.SANDBOX_LAMBDA_EXEC ?? (sandboxMode(e) === "local" ? "on" : "off")) === "on";
}

/**
 * Learners' code in a shared deployment runs only inside a jail of its own (its own user, pid and
 * network namespaces, nothing of the host's files). This version has none yet, so a hosted
 * sandbox never runs it: the switch that would is refused rather than honoured with a warning.
 */
export const noUnjailedCodeWhenHosted = {
  check: (e: SandboxModeSettings) => !(sandboxMode(e) === "hosted" && e.SANDBOX_LAMBDA_EXEC === "on"),
  issue: {
    path: ["SANDBOX_LAMBDA_EXEC"],
    message:
      "SANDBOX_LAMBDA_EXEC=on is refused in hosted mode: learners' Lambda code would run unjailed on this machine, with the site's secrets in reach (leave it unset)",
  },
};

/** Both rules, for any schema that holds the mode fields (this file's and lib/env.ts's). */
export function checkSandboxMode(e: SandboxModeSettings, ctx: z.RefinementCtx): void {
  for (const rule of [noLocalSandboxWhenHosted, noUnjailedCodeWhenHosted]) {
    if (!rule.check(e)) ctx.addIssue({ code: "custom", path: rule.issue.path, message: rule.issue.message });
  }
}

const schema = z.object(sandboxModeFields).superRefine(checkSandboxMode);

/** The sandbox process's view: its mode and Lambda switch from the given variables; throws a readable message when invalid. */
export function readSandboxMode(variables: Record<string, string | undefined>): { mode: "local" | "hosted"; lambdaExec: boolean } {
  const parsed = schema.safeParse(variables);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return { mode: sandboxMode(parsed.data), lambdaExec: sandboxLambdaExec(parsed.data) };
}

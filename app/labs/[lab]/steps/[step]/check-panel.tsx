"use client";
// "Check my progress" (and, on step 6, the end-to-end probe). The results appear here check by
// check; router.refresh() then re-renders the server parts (status badge, progress bar, history)
// without a full reload.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { checkStepAction, type CheckActionResult } from "./actions";
import { CheckResults } from "./check-results";
import { STATUS_TEXT } from "./labels";

/** Step 6's probe waits at most this long (checkers/steps/step6-end-to-end.ts). */
const PROBE_SECONDS = 60;

function Summary({ result }: { result: CheckActionResult }) {
  if (!result.ok) {
    const { code, message, hint } = result.error;
    return (
      <div className="alert alert-error">
        <p>{message}</p>
        {hint ? <p>{hint}</p> : null}
        {code === "not-connected" || code === "connection-failed" ? (
          <p>
            <Link href="/connect">Go to Connect</Link>
          </p>
        ) : null}
      </div>
    );
  }
  const step = result.report.steps[0];
  if (!step) return null;
  const counts = (["fail", "error"] as const).map((s) => [s, step.checks.filter((c) => c.status === s).length] as const).filter(([, n]) => n > 0);
  const detail = counts.length === 0 ? `all ${step.checks.length} checks are fine` : counts.map(([s, n]) => `${n} ${s === "fail" ? "failed" : "could not be checked"}`).join(", ");
  return (
    <p className={`alert ${step.status === "pass" ? "alert-success" : step.status === "skip" ? "alert-info" : "alert-error"}`} data-testid="check-summary">
      <strong>{STATUS_TEXT[step.status]}</strong>
      {step.status === "skip"
        ? ": nothing was recorded. The end-to-end checks run only with the probe below."
        : ` in ${result.report.durationMs} ms: ${detail}.`}
    </p>
  );
}

export function CheckPanel({ lab, step, hasProbe }: { lab: string; step: number; hasProbe: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<CheckActionResult | null>(null);
  const [running, setRunning] = useState<"check" | "probe" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [elapsed, setElapsed] = useState(0);

  // The probe can take up to a minute: count the seconds so the learner sees it is alive.
  useEffect(() => {
    if (running !== "probe") return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.min(PROBE_SECONDS, Math.round((Date.now() - started) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const run = (probe: boolean) => {
    setConfirming(false);
    setElapsed(0);
    setRunning(probe ? "probe" : "check");
    startTransition(async () => {
      let outcome: CheckActionResult;
      try {
        outcome = await checkStepAction({ lab, step, probe });
      } catch {
        outcome = { ok: false, error: { code: "invalid", message: "The check could not reach the server. Check your network and try again." } };
      }
      setResult(outcome);
      setRunning(null);
      router.refresh();
    });
  };

  const checks = result?.ok ? (result.report.steps[0]?.checks ?? []) : [];
  return (
    <section aria-labelledby="check-heading" className="check-panel">
      <h2 id="check-heading">Check your work</h2>
      <p>The checker reads your account through the grader role and reports, check by check, what is right and what to do next.</p>
      <div className="check-actions">
        <button type="button" className="button" onClick={() => run(false)} disabled={pending} aria-describedby={running === "check" ? "check-running" : undefined}>
          Check my progress
        </button>
        {hasProbe ? (
          <button type="button" className="button button-secondary" onClick={() => setConfirming(true)} disabled={pending || confirming} aria-expanded={confirming} aria-controls="probe-confirm">
            Run the end-to-end probe
          </button>
        ) : null}
      </div>
      {hasProbe && confirming ? (
        <div id="probe-confirm" className="confirm-box" role="group" aria-labelledby="probe-confirm-heading">
          <h3 id="probe-confirm-heading">Run the end-to-end probe?</h3>
          <p>
            The probe sends real traffic through your account: it publishes three tagged probe orders to your topic and watches which queues they reach
            (deleting only its own probe messages and releasing any other message at once), and starts one execution of your state machine with a
            premium order. It takes up to {PROBE_SECONDS} seconds.
          </p>
          <div className="check-actions">
            <button type="button" className="button" onClick={() => run(true)}>
              Run the probe
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <div className="check-output" aria-live="polite" aria-busy={pending}>
        {running === "check" ? <p id="check-running">Checking…</p> : null}
        {running === "probe" ? (
          <div className="probe-progress">
            <label htmlFor="probe-progress">
              Probe running: {elapsed} s of at most {PROBE_SECONDS} s
            </label>
            <progress id="probe-progress" max={PROBE_SECONDS} value={elapsed} />
          </div>
        ) : null}
        {!pending && result ? (
          <div data-testid="check-results">
            <Summary result={result} />
            <CheckResults checks={checks} />
          </div>
        ) : null}
      </div>
    </section>
  );
}

"use client";
// The re-check's controls and progress: a confirmed whole-cohort run, then done/total, a
// progress bar and one line per learner as results stream in.
import { useState } from "react";
import type { RecheckStepResult } from "@/lib/cohorts/types";
import type { RecheckState } from "./use-recheck";

const STEP_WORDS: Record<RecheckStepResult["status"], string> = { pass: "passed", fail: "failed", error: "could not be checked", skip: "skipped", "not-run": "not run" };

function outcome(steps: RecheckStepResult[]): string {
  const ran = steps.filter((s) => s.status !== "not-run");
  if (ran.length === 0) {
    const reason = steps.find((s) => s.error)?.error?.message;
    return reason ? `nothing checked. ${reason}` : "nothing to check yet.";
  }
  return `${ran.map((s) => `step ${s.step} ${STEP_WORDS[s.status]}`).join(", ")}.`;
}

export function RecheckPanel({ state, learners, onRecheckAll }: { state: RecheckState; learners: number; onRecheckAll: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="recheck-heading" className="recheck-panel" data-testid="recheck-panel">
      <h2 id="recheck-heading">Re-check</h2>
      <p className="form-help">
        A re-check runs again the checks of every step a learner has started, through their own connection, and records the results as attempts from a re-check. Step 6 is never re-run: its probe sends real messages into the learner's account.
      </p>
      {confirming ? (
        <div className="confirm-box" role="group" aria-labelledby="recheck-confirm-text">
          <p id="recheck-confirm-text">
            Re-check all {learners} {learners === 1 ? "learner" : "learners"}? This can take a while for a large cohort; the page shows progress as it goes.
          </p>
          <div className="check-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setConfirming(false);
                onRecheckAll();
              }}
            >
              Yes, re-check everyone
            </button>
            <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button-small" disabled={state.running || learners === 0} onClick={() => setConfirming(true)}>
          Re-check the whole cohort
        </button>
      )}
      <div aria-live="polite" className="recheck-progress" data-testid="recheck-progress">
        {state.running || state.summary || state.error ? (
          <>
            <p>
              {state.running ? "Re-checking " : "Re-checked "}
              {state.scope}: {state.done} of {state.total} {state.total === 1 ? "learner" : "learners"} done.
            </p>
            <progress max={Math.max(state.total, 1)} value={state.done} aria-label="Re-check progress">
              {state.done} of {state.total}
            </progress>
          </>
        ) : null}
        {state.summary ? (
          <p className="alert alert-info" data-testid="recheck-summary">
            Finished in {(state.summary.durationMs / 1000).toFixed(1)} s: {state.summary.checked} {state.summary.checked === 1 ? "step" : "steps"} checked over {state.summary.learners}{" "}
            {state.summary.learners === 1 ? "learner" : "learners"}; {state.summary.passed} passed, {state.summary.failed} failed, {state.summary.errors} could not be checked, {state.summary.skipped}{" "}
            skipped.
          </p>
        ) : null}
        {state.error ? <p className="alert alert-error">{state.error}</p> : null}
      </div>
      {state.learners.length > 0 ? (
        <ol className="recheck-lines" data-testid="recheck-lines">
          {state.learners.map((l) => (
            <li key={l.userId}>
              <strong>{l.name}</strong>: {outcome(l.steps)}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

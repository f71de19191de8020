"use client";

import { useState } from "react";

/** Hints go from a gentle nudge to nearly the answer, so they are revealed one at a time. */
export function StepHints({ hints }: { hints: string[] }) {
  const [shown, setShown] = useState(0);
  return (
    <section aria-labelledby="hints-heading">
      <h2 id="hints-heading">Stuck? Hints</h2>
      {shown > 0 ? (
        <ol className="hint-list" aria-live="polite">
          {hints.slice(0, shown).map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ol>
      ) : (
        <p>Try the step first; when you are stuck, reveal one hint at a time.</p>
      )}
      {shown < hints.length ? (
        <button type="button" className="button button-secondary" onClick={() => setShown((n) => n + 1)}>
          {shown === 0 ? "Show a hint" : `Show hint ${shown + 1} of ${hints.length}`}
        </button>
      ) : (
        <p className="form-help">That was the last hint.</p>
      )}
    </section>
  );
}

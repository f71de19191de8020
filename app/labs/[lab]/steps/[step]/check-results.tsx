"use client";
// One check per row: status (icon and words), message, expected/found, and for fail/error a hint
// the learner reveals when they want it.
import { useState } from "react";
import type { CheckResult } from "@/checkers/types";
import { STATUS_ICON, STATUS_TEXT, formatValue } from "./labels";

function CheckHint({ hint, title }: { hint: string; title: string }) {
  const [shown, setShown] = useState(false);
  if (shown) return <p className="check-hint"><strong>Hint:</strong> {hint}</p>;
  return (
    <button type="button" className="link-button" aria-label={`Show a hint for: ${title}`} onClick={() => setShown(true)}>
      Show a hint
    </button>
  );
}

export function CheckResults({ checks }: { checks: CheckResult[] }) {
  if (checks.length === 0) return <p className="form-help">No results were stored for this check.</p>;
  return (
    <ul className="check-list">
      {checks.map((c) => (
        <li key={c.id} className={`check check-${c.status}`} data-check-id={c.id}>
          <span className="check-icon" aria-hidden="true">{STATUS_ICON[c.status]}</span>
          <div className="check-body">
            <p className="check-title">
              <span className="check-status">{STATUS_TEXT[c.status]}:</span> {c.title}
            </p>
            <p className="check-message">{c.message}</p>
            {c.expected !== undefined || c.found !== undefined ? (
              <dl className="check-values">
                {c.expected !== undefined ? (
                  <div>
                    <dt>Expected</dt>
                    <dd><code>{formatValue(c.expected)}</code></dd>
                  </div>
                ) : null}
                {c.found !== undefined ? (
                  <div>
                    <dt>Found</dt>
                    <dd><code>{formatValue(c.found)}</code></dd>
                  </div>
                ) : null}
              </dl>
            ) : null}
            {(c.status === "fail" || c.status === "error") && c.hint ? <CheckHint hint={c.hint} title={c.title} /> : null}
            {c.docs ? (
              <p className="check-docs">
                <a href={c.docs}>Read about this{c.docs.startsWith("/") ? " in the module" : " in the AWS docs"}</a>
              </p>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

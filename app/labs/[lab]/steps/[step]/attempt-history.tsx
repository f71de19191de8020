// Past checks of this step, newest first; each opens to the results as the learner saw them.
import type { AttemptView } from "@/lib/grading/types";
import { CheckResults } from "./check-results";
import { SOURCE_TEXT, STATUS_TEXT } from "./labels";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

export function AttemptHistory({ attempts }: { attempts: AttemptView[] }) {
  return (
    <section aria-labelledby="history-heading" data-testid="attempt-history">
      <h2 id="history-heading">Your past checks</h2>
      {attempts.length === 0 ? (
        <p>No checks of this step yet.</p>
      ) : (
        <ol className="attempt-list">
          {attempts.map((a) => (
            <li key={a.id}>
              <details>
                <summary>
                  <time dateTime={a.createdAt}>{when(a.createdAt)}</time> · <span className={`attempt-status attempt-${a.status}`}>{STATUS_TEXT[a.status]}</span> · from {SOURCE_TEXT[a.source]} · {a.durationMs} ms
                </summary>
                <CheckResults checks={a.checks} />
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

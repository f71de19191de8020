// Past checks of this step, newest first; each opens to the results as the learner saw them.
import type { AttemptSource, AttemptView } from "@/lib/grading/types";
import { CheckResults } from "./check-results";
import { SOURCE_TEXT, STATUS_TEXT } from "./labels";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

interface Props {
  attempts: AttemptView[];
  /** The instructor's drill-down shows several histories on one page, each under its own heading. */
  heading?: string;
  headingId?: string;
  headingLevel?: "h2" | "h3";
  /** "from this page" reads wrong to anyone but the learner on their step page. */
  sourceText?: Record<AttemptSource, string>;
}

export function AttemptHistory({ attempts, heading = "Your past checks", headingId = "history-heading", headingLevel: Heading = "h2", sourceText = SOURCE_TEXT }: Props) {
  return (
    <section aria-labelledby={headingId} data-testid="attempt-history">
      <Heading id={headingId}>{heading}</Heading>
      {attempts.length === 0 ? (
        <p>No checks of this step yet.</p>
      ) : (
        <ol className="attempt-list">
          {attempts.map((a) => (
            <li key={a.id}>
              <details>
                <summary>
                  <time dateTime={a.createdAt}>{when(a.createdAt)}</time> · <span className={`attempt-status attempt-${a.status}`}>{STATUS_TEXT[a.status]}</span> · from {sourceText[a.source]} · {a.durationMs} ms
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

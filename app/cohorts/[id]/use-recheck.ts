"use client";
// Runs a re-check through POST /api/cohorts/[id]/recheck and follows its NDJSON stream line by
// line, so the page shows each learner's outcome as it arrives rather than after the last one.
import { useCallback, useRef, useState } from "react";
import type { RecheckEvent, RecheckSummary as Summary } from "@/lib/cohorts/types";

type LearnerEvent = Extract<RecheckEvent, { type: "learner" }>;

export interface RecheckState {
  running: boolean;
  /** Who was asked for: the whole cohort, or one learner's name. */
  scope: string | null;
  total: number;
  done: number;
  learners: LearnerEvent[];
  summary: Summary | null;
  error: string | null;
}

const IDLE: RecheckState = { running: false, scope: null, total: 0, done: 0, learners: [], summary: null, error: null };

async function problem(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown; error?: unknown };
    const text = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : null;
    if (text) return text;
  } catch {
    // Not JSON: fall through to the status.
  }
  if (res.status === 401) return "Your session has ended. Sign in again to re-check.";
  if (res.status === 429) return "Too many re-checks at once. Wait a minute and try again.";
  return `The re-check could not start (HTTP ${res.status}).`;
}

export function useRecheck(cohortId: string, onFinished: () => void) {
  const [state, setState] = useState<RecheckState>(IDLE);
  const busy = useRef(false);

  const start = useCallback(
    async (scope: string, userIds?: string[]) => {
      if (busy.current) return;
      busy.current = true;
      setState({ ...IDLE, running: true, scope });
      try {
        const res = await fetch(`/api/cohorts/${encodeURIComponent(cohortId)}/recheck`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/x-ndjson" },
          body: JSON.stringify(userIds ? { userIds } : {}),
        });
        if (!res.ok || !res.body) {
          const message = await problem(res);
          setState((s) => ({ ...s, running: false, error: message }));
          return;
        }
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        const apply = (line: string) => {
          if (!line.trim()) return;
          // The route ends a run that failed on the server with {"type":"error","message"}.
          const event = JSON.parse(line) as RecheckEvent | { type: "error"; message: string };
          if (event.type === "error") {
            setState((s) => ({ ...s, error: event.message }));
            return;
          }
          setState((s) => {
            if (event.type === "start") return { ...s, total: event.total };
            if (event.type === "learner") return { ...s, total: event.total, done: event.done, learners: [...s.learners, event] };
            return { ...s, summary: event.summary, done: s.total };
          });
        };
        for (;;) {
          const { value, done } = await reader.read();
          if (value) {
            buffer += value;
            const lines = buffer.split("\n");
            buffer = lines.pop() ?? "";
            lines.forEach(apply);
          }
          if (done) break;
        }
        apply(buffer);
        setState((s) => ({ ...s, running: false, error: s.summary ? null : (s.error ?? "The re-check stopped before it finished. What was checked is recorded.") }));
      } catch {
        setState((s) => ({ ...s, running: false, error: "The re-check was interrupted: the connection to the site was lost." }));
      } finally {
        busy.current = false;
        onFinished();
      }
    },
    [cohortId, onFinished],
  );

  return { state, start };
}

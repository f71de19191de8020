"use client";
// The part of the dashboard that keeps itself current: it polls the progress route with the
// page's own query every few seconds while the tab is visible (backing off when the site does
// not answer) and re-renders only when the data's version changed — no reload, so filters,
// scroll position and open details stay as they are.
import { useCallback, useEffect, useRef, useState } from "react";
import type { CohortProgressPage } from "@/lib/cohorts/types";
import { AggregateCards, StepTable } from "./aggregates";
import { clockTime } from "./format";
import { FunnelChart } from "./funnel-chart";
import { MatrixFilters } from "./matrix-filters";
import { MatrixLegend, ProgressMatrix } from "./progress-matrix";
import { RecheckPanel } from "./recheck-panel";
import { TimeToCompleteCharts } from "./time-to-complete-chart";
import { useRecheck } from "./use-recheck";

const POLL_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;

function useLiveProgress(initial: CohortProgressPage, search: string) {
  const [page, setPage] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const version = useRef(initial.version);
  const refreshNow = useRef<() => void>(() => {});

  useEffect(() => {
    const url = `/api/cohorts/${encodeURIComponent(initial.cohort.id)}/progress?${search}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    let inFlight = false;
    let etag: string | null = null;
    const controller = new AbortController();
    const visible = () => document.visibilityState === "visible";

    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!stopped && visible()) timer = setTimeout(() => void tick(), ms);
    };
    const tick = async () => {
      if (inFlight || stopped) return;
      inFlight = true;
      try {
        // The route answers a matching If-None-Match with a 304 from two small queries: an
        // unchanged cohort costs almost nothing however often the page asks.
        const headers: Record<string, string> = { Accept: "application/json" };
        if (etag) headers["If-None-Match"] = etag;
        const res = await fetch(url, { cache: "no-store", headers, signal: controller.signal });
        if (res.status === 304) {
          failures = 0;
          setProblem(null);
          return;
        }
        if (res.status === 401 || res.status === 403 || res.status === 404) {
          stopped = true;
          setProblem(res.status === 401 ? "Live updates stopped: your session has ended. Sign in again." : "Live updates stopped: this cohort is no longer available to you.");
          return;
        }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const next = (await res.json()) as CohortProgressPage;
        etag = res.headers.get("ETag");
        failures = 0;
        setProblem(null);
        if (next.version !== version.current) {
          version.current = next.version;
          setPage(next);
        }
      } catch {
        if (controller.signal.aborted) return;
        failures += 1;
        setProblem(`Could not refresh just now; trying again in ${Math.round(Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures) / 1000)} s.`);
      } finally {
        inFlight = false;
        schedule(failures === 0 ? POLL_MS : Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures));
      }
    };
    // A hidden tab costs the server nothing; coming back refreshes at once.
    const onVisibility = () => {
      if (visible()) void tick();
      else clearTimeout(timer);
    };
    refreshNow.current = () => {
      clearTimeout(timer);
      void tick();
    };
    document.addEventListener("visibilitychange", onVisibility);
    schedule(POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [initial.cohort.id, search]);

  const refresh = useCallback(() => refreshNow.current(), []);
  return { page, problem, refresh };
}

export function LiveDashboard({ initial, search }: { initial: CohortProgressPage; search: string }) {
  const { page, problem, refresh } = useLiveProgress(initial, search);
  const { state: recheck, start } = useRecheck(page.cohort.id, refresh);
  const { aggregates, steps } = page;

  return (
    <>
      <p className="live-status" aria-live="polite" data-testid="live-status">
        {problem ?? `Updated ${clockTime(page.generatedAt)} UTC`}
      </p>

      <section aria-labelledby="overview-heading">
        <h2 id="overview-heading">The whole cohort</h2>
        <AggregateCards aggregates={aggregates} />
        <StepTable aggregates={aggregates} steps={steps} />
      </section>

      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Charts</h2>
        <div className="chart-columns">
          <FunnelChart aggregates={aggregates} steps={steps} />
        </div>
        <TimeToCompleteCharts steps={aggregates.steps} titles={steps} />
      </section>

      <RecheckPanel state={recheck} learners={aggregates.learners} onRecheckAll={() => void start("the whole cohort")} />

      <section aria-labelledby="learners-heading">
        <h2 id="learners-heading">Learners</h2>
        <MatrixFilters cohortId={page.cohort.id} query={page.query} steps={steps} />
        <MatrixLegend />
        <ProgressMatrix
          page={page}
          recheckRunning={recheck.running}
          onRecheck={(userId) => void start(page.rows.find((r) => r.userId === userId)?.name ?? "one learner", [userId])}
        />
      </section>
    </>
  );
}

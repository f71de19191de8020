// /cohorts/[id]/webhooks: the cohort's webhooks, the add form, and each webhook's delivery log.
// Who may see it is decided on the server (loadCohort → lib/cohorts): signed out → sign-in,
// anyone but the cohort's instructor or an admin → 404.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { listDeliveries, listWebhooks, MAX_WEBHOOKS_PER_COHORT, type DeliveryView } from "@/lib/webhooks";
import { exactTime } from "../format";
import { cohortTitle, isRefusal, loadCohort } from "../load";
import { AddWebhookForm } from "./add-webhook-form";
import { RetryButton, WebhookControls } from "./webhook-controls";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Webhooks · ${await cohortTitle(await getCurrentUser(), id, "Cohort")}` };
}

const STATUS_TEXT: Record<DeliveryView["status"], string> = { pending: "Queued", delivered: "Delivered", failed: "Failed" };

function lastResult(d: DeliveryView): string {
  if (d.status === "delivered") return `HTTP ${d.responseStatus ?? "—"}`;
  if (d.lastError) return d.lastError;
  return d.tries === 0 ? "Not tried yet." : `HTTP ${d.responseStatus ?? "—"}`;
}

function DeliveryLog({ cohortId, url, deliveries }: { cohortId: string; url: string; deliveries: DeliveryView[] }) {
  if (deliveries.length === 0) return <p>No events sent yet. They appear here when a learner passes or regresses on a step, or when you send a test event.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>Deliveries to {url}, newest first (the last 50)</caption>
        <thead>
          <tr>
            <th scope="col">Queued (UTC)</th>
            <th scope="col">Event</th>
            <th scope="col">Learner</th>
            <th scope="col">Step</th>
            <th scope="col">Tries</th>
            <th scope="col">Status</th>
            <th scope="col">Last response or error</th>
            <th scope="col">Next try (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>{exactTime(d.createdAt)}</td>
              <td>
                <code>{d.type}</code>
              </td>
              <td>{d.learner?.email ?? "—"}</td>
              <td>{d.step ?? "—"}</td>
              <td>{d.tries}</td>
              <td>
                {STATUS_TEXT[d.status]}
                {d.status === "failed" ? <RetryButton cohortId={cohortId} deliveryId={d.id} label={`Retry the ${d.type} delivery queued ${exactTime(d.createdAt)} now`} /> : null}
              </td>
              <td>
                {lastResult(d)}
                {d.failedTries.length > 0 ? (
                  <details>
                    <summary>Every failed try ({d.failedTries.length})</summary>
                    <ol>
                      {d.failedTries.map((t) => (
                        <li key={`${t.try}-${t.at}`}>
                          {t.at ? `Try ${t.try}, ${exactTime(t.at)}: ` : ""}
                          {t.error}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
              </td>
              <td>{d.nextAttemptAt ? exactTime(d.nextAttemptAt) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function CohortWebhooksPage({ params }: Props) {
  const { id } = await params;
  const { viewer, cohort } = await loadCohort(id, `/cohorts/${id}/webhooks`);
  let webhooks;
  try {
    const list = await listWebhooks(viewer, cohort.id);
    webhooks = await Promise.all(list.map(async (w) => ({ ...w, deliveries: await listDeliveries(viewer, w.id) })));
  } catch (err) {
    if (isRefusal(err)) notFound();
    throw err;
  }
  return (
    <div className="dashboard">
      <p className="step-meta">
        <Link href="/cohorts">Cohorts</Link> · <Link href={`/cohorts/${encodeURIComponent(cohort.id)}`}>{cohort.name}</Link>
      </p>
      <h1>Webhooks for {cohort.name}</h1>
      <p className="lede">
        When a learner of this cohort passes a step (<code>step.passed</code>) or a step that passed stops passing (<code>step.regressed</code>), the
        platform sends a signed JSON POST to each active URL below. A receiver that does not answer with a 2xx status is tried again, five tries in
        all over about ten minutes.
      </p>
      <details>
        <summary>How to verify a request</summary>
        <p>
          Each request carries <code>X-Lab-Grader-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where <code>v1</code> is the HMAC-SHA256 of{" "}
          <code>&lt;t&gt;.&lt;raw body&gt;</code> keyed with your signing secret. Compute it over the raw body, compare in constant time, and refuse
          requests whose <code>t</code> is more than five minutes old. <code>X-Lab-Grader-Delivery</code> identifies the delivery and the body&apos;s{" "}
          <code>id</code> the event, so a receiver can ignore repeats.
        </p>
      </details>
      <AddWebhookForm cohortId={cohort.id} disabled={webhooks.length >= MAX_WEBHOOKS_PER_COHORT} />
      <h2>Registered webhooks</h2>
      {webhooks.length === 0 ? <p>No webhooks yet.</p> : null}
      {webhooks.map((w, i) => (
        <section key={w.id} aria-labelledby={`webhook-${i}`} className="card">
          <h3 id={`webhook-${i}`} className="copy-box">
            {w.url}
          </h3>
          <p>
            {w.active ? "Active." : "Paused: events are queued and sent when you resume."} Added {exactTime(w.createdAt)}.
          </p>
          <WebhookControls cohortId={cohort.id} webhookId={w.id} active={w.active} url={w.url} />
          <DeliveryLog cohortId={cohort.id} url={w.url} deliveries={w.deliveries} />
        </section>
      ))}
    </div>
  );
}

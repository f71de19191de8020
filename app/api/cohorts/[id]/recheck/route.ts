// POST /api/cohorts/{id}/recheck {userIds?}: re-checks learners and streams one RecheckEvent per
// line (application/x-ndjson) as each learner finishes. Refusals (not signed in, not this
// instructor's cohort, a learner outside it, a bad body) are answered with a status before any
// streaming starts. A server failure mid-run ends the stream with {"type":"error","message"}.
import { env } from "@/lib/env";
import { recheckLearners, type RecheckEvent } from "@/lib/cohorts";
import { errorResponse, idParam, isSameOrigin, jsonError, recheckBodySchema, withViewer } from "@/lib/cohorts/http";
import { currentViewer } from "../../viewer";

const BODY_HELP = 'Send a JSON body: {} to re-check the whole cohort, or {"userIds": ["…"]} for some learners.';

/** The JSON body, or why it cannot be read. An empty body means the whole cohort. */
async function readBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await request.text();
  if (text.length > 100_000) return { ok: false, message: "The request body is too large. Re-check at most 1,000 learners at once." };
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: `The request body is not JSON. ${BODY_HELP}` };
  }
}

export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  if (!isSameOrigin(request, env.NEXTAUTH_URL)) return jsonError(403, "This request must come from the dashboard page itself.");
  return withViewer(currentViewer, async (viewer) => {
    const id = idParam.safeParse((await ctx.params).id);
    if (!id.success) return jsonError(404, "That cohort was not found.");
    const raw = await readBody(request);
    if (!raw.ok) return jsonError(422, raw.message);
    const body = recheckBodySchema.safeParse(raw.value);
    if (!body.success) return jsonError(422, `${body.error.issues[0]?.message ?? "The request body is not valid."} ${BODY_HELP}`);

    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    let started!: () => void;
    const firstEvent = new Promise<void>((resolve) => (started = resolve));
    const onEvent = (e: RecheckEvent) => {
      controller.enqueue(encoder.encode(`${JSON.stringify(e)}\n`));
      started();
    };
    // Closing the page stops the run after the learners in flight (request.signal aborts).
    const run = recheckLearners(viewer, id.data, body.data, onEvent, { signal: request.signal }).then(() => {
      try {
        controller.close();
      } catch {
        /* the client has gone */
      }
    });
    // Wait for "start" (or a refusal, which comes before it) so a refusal gets its own status.
    const outcome = await Promise.race([firstEvent.then(() => "streaming" as const), run.then(() => "streaming" as const, (err: unknown) => ({ err }))]);
    if (outcome !== "streaming") return errorResponse(outcome.err);
    run.catch((err: unknown) => {
      console.error("re-check failed:", err);
      const message = "The re-check stopped because of a server error. Results recorded so far are kept.";
      try {
        controller.enqueue(encoder.encode(`${JSON.stringify({ type: "error", message })}\n`));
        controller.close();
      } catch {
        /* the client has gone */
      }
    });
    return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
  });
}

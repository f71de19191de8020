"use server";
// "Check my progress": the signed-in learner checks one of their own steps. The user comes from
// the session on the server, never from the client; the client only names the lab and step.
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { grade, type GradeOutcome } from "@/lib/grading";

export type CheckActionResult = GradeOutcome | { ok: false; error: { code: "signed-out" | "invalid"; message: string; hint?: string; retryAfter?: number } };

const input = z.object({ lab: z.string().min(1).max(64), step: z.number().int().min(1).max(6), probe: z.boolean().optional() }).strict();

export async function checkStepAction(raw: unknown): Promise<CheckActionResult> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: { code: "signed-out", message: "Your session has ended. Sign in again to check your progress." } };
  const parsed = input.safeParse(raw);
  if (!parsed.success) return { ok: false, error: { code: "invalid", message: "That check request was not understood. Reload the page and try again." } };
  const { lab, step, probe } = parsed.data;
  // Only step 6 has a probe, and only when the learner confirmed it in the page.
  return grade({ userId: user.id, lab, step, source: "web", probe: step === 6 && probe === true });
}

// A learner's past attempts at one step, newest first, as they saw them.
import { db } from "../db/client";
import { toAttemptView } from "./outcome";
import type { AttemptView } from "./types";

export async function listAttempts(userId: string, lab: string, step: number, take = 20): Promise<AttemptView[]> {
  const rows = await db.attempt.findMany({ where: { userId, lab, step }, orderBy: { createdAt: "desc" }, take });
  return rows.map(toAttemptView);
}

// The events a webhook receives (ARCHITECTURE.md "Interfaces") and when a recorded attempt
// makes one. Pure: the grading service's record step and the tests both decide with this.
import { randomBytes } from "node:crypto";

export const EVENT_TYPES = ["step.passed", "step.regressed"] as const;
export type StepEventType = (typeof EVENT_TYPES)[number];
/** "ping" is the instructor's "send a test event"; its body says `test: true`. */
export type WebhookEventType = StepEventType | "ping";

export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  lab: string;
  step: number;
  user: { id: string; email: string };
  cohort: { id: string };
  /** Only on test events: receivers must not count them as progress. */
  test?: true;
}

/**
 * The event a step's new status makes, given its status before the attempt (null: never checked).
 * A pass that was not passing before is "step.passed" (first pass, or pass after failing); a pass
 * that stops passing is "step.regressed"; anything else (fail → fail, pass → pass) is no event.
 */
export function stepTransition(previous: string | null, current: string): StepEventType | null {
  const was = previous === "pass";
  const is = current === "pass";
  if (is && !was) return "step.passed";
  if (was && !is) return "step.regressed";
  return null;
}

export function newEventId(): string {
  return `evt_${randomBytes(16).toString("base64url")}`;
}

/** The body exactly as sent and signed: the key order is the documented one. */
export function eventBody(e: WebhookEvent): string {
  const ordered: WebhookEvent = {
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt,
    lab: e.lab,
    step: e.step,
    user: { id: e.user.id, email: e.user.email },
    cohort: { id: e.cohort.id },
    ...(e.test ? { test: true as const } : {}),
  };
  return JSON.stringify(ordered);
}

// The lab's step checkers, in step order. A new check touches its step module, its test and,
// for a new step, this list.
import { step1 } from "./steps/step1-sns-topic";
import { step2 } from "./steps/step2-sqs-queues";
import { step3 } from "./steps/step3-fan-out";
import { step4 } from "./steps/step4-eventbridge-rule";
import { step5 } from "./steps/step5-step-functions";
import { step6 } from "./steps/step6-end-to-end";
import type { StepChecker } from "./types";

export const STEP_CHECKERS: readonly StepChecker[] = [step1, step2, step3, step4, step5, step6];

export function checkerFor(step: number): StepChecker | undefined {
  return STEP_CHECKERS.find((c) => c.step === step);
}

/** Every action the checkers call, sorted: the grader role's permission policy lists these. */
export function graderActions(steps: readonly StepChecker[] = STEP_CHECKERS): string[] {
  return [...new Set(steps.flatMap((s) => s.actions))].sort();
}

// The LabReport of ARCHITECTURE.md ("Contracts") as a zod schema: what `lab-check --format json`
// prints and what the API returns. Strict, so a field added on one side only is caught by the
// tests that validate real output against it.
import { z } from "zod";
import type { LabReport } from "@/checkers/types";

export const statusSchema = z.enum(["pass", "fail", "error", "skip"]);

export const checkResultSchema = z
  .object({
    id: z.string().regex(/^step\d+\.[a-z0-9.-]+$/),
    title: z.string().min(1),
    status: statusSchema,
    message: z.string().min(1),
    hint: z.string().min(1).optional(),
    expected: z.unknown().optional(),
    found: z.unknown().optional(),
    docs: z.string().min(1).optional(),
  })
  .strict();

export const stepReportSchema = z
  .object({
    step: z.number().int().min(1),
    slug: z.string().min(1),
    status: statusSchema,
    durationMs: z.number().int().nonnegative(),
    checks: z.array(checkResultSchema),
  })
  .strict();

export const labReportSchema = z
  .object({
    lab: z.string().min(1),
    target: z.string().min(1),
    region: z.string().min(1),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int().nonnegative(),
    passed: z.boolean(),
    steps: z.array(stepReportSchema),
  })
  .strict();

export type LabReportFromSchema = z.infer<typeof labReportSchema>;

// Fails to compile when the schema and the contract drift apart (each must be assignable to the other).
export const schemaMatchesContract = (r: LabReport): LabReportFromSchema => r;
export const contractMatchesSchema = (r: LabReportFromSchema): LabReport => r;

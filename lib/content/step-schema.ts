import { z } from "zod";

/** An AWS resource name as the lab uses it: letters, digits, hyphens and underscores. */
const resourceName = z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, "must be a plain AWS resource name");

/**
 * The resources a step names, by role. Checkers, the grader-policy generator and the CLI
 * read names from here, never from their own constants.
 */
export const stepResourcesSchema = z
  .object({
    topic: resourceName.optional(),
    queues: z.array(resourceName).min(1).optional(),
    dlqs: z.array(resourceName).min(1).optional(),
    rule: resourceName.optional(),
    bus: resourceName.optional(),
    function: resourceName.optional(),
    stateMachine: resourceName.optional(),
    functions: z.array(resourceName).min(1).optional(),
    topics: z.array(resourceName).min(1).optional(),
  })
  .strict();

/** The values a step's checker holds the learner's resources to. */
export const stepExpectSchema = z
  .object({
    maxReceiveCount: z.number().int().min(1).max(1000).optional(),
    minVisibilityTimeout: z.number().int().min(0).max(43_200).optional(),
    dlqRetention: z.number().int().min(60).max(1_209_600).optional(),
    threshold: z.number().positive().optional(),
  })
  .strict();

export const stepFrontMatterSchema = z
  .object({
    step: z.number().int().min(1).max(6),
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens"),
    title: z.string().min(3).max(120),
    summary: z.string().min(10).max(400),
    resources: stepResourcesSchema,
    expect: stepExpectSchema.default({}),
    hints: z.array(z.string().min(10)).min(1),
  })
  .strict();

export type StepFrontMatter = z.infer<typeof stepFrontMatterSchema>;
export type StepResources = z.infer<typeof stepResourcesSchema>;
export type StepExpect = z.infer<typeof stepExpectSchema>;

/**
 * Runs Parallel branches and Map iterations side by side. As on AWS, the first failure
 * stops the siblings: they see their scope cancelled at their next state transition.
 */

export interface Scope {
  cancelled: boolean;
}

export const ROOT_SCOPE: Scope = { cancelled: false };

/** Thrown inside a branch that stops because a sibling failed; never reaches the caller. */
export class Cancelled extends Error {}

/** `concurrency` 0 means no limit. Results keep the jobs' order; the first failure is rethrown. */
export async function runGroup<T>(jobs: ((scope: Scope) => Promise<T>)[], concurrency: number, parent: Scope): Promise<T[]> {
  const scope: Scope = { cancelled: false };
  const results: T[] = new Array<T>(jobs.length);
  let firstError: unknown;
  let failed = false;
  let nextJob = 0;
  const worker = async (): Promise<void> => {
    while (nextJob < jobs.length && !scope.cancelled) {
      const index = nextJob++;
      const job = jobs[index];
      if (!job) continue;
      try {
        if (parent.cancelled) throw new Cancelled();
        results[index] = await job(scope);
      } catch (e) {
        if (!failed) {
          failed = true;
          firstError = e;
        }
        scope.cancelled = true;
      }
    }
  };
  const width = concurrency > 0 ? Math.min(concurrency, jobs.length) : jobs.length;
  await Promise.all(Array.from({ length: width }, worker));
  if (failed) throw firstError;
  return results;
}

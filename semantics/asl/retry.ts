/**
 * A Retrier's settings with the defaults the States Language gives them, and the back-off
 * delay before a retry: IntervalSeconds × BackoffRate^(retries so far), capped by MaxDelaySeconds.
 */
export interface RetrierSettings {
  maxAttempts: number;
  intervalSeconds: number;
  backoffRate: number;
  maxDelaySeconds?: number;
}

export function retrierSettings(retrier: Record<string, unknown>): RetrierSettings {
  const settings: RetrierSettings = {
    maxAttempts: typeof retrier.MaxAttempts === "number" ? retrier.MaxAttempts : 3,
    intervalSeconds: typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1,
    backoffRate: typeof retrier.BackoffRate === "number" ? retrier.BackoffRate : 2,
  };
  if (typeof retrier.MaxDelaySeconds === "number") settings.maxDelaySeconds = retrier.MaxDelaySeconds;
  return settings;
}

export function retryDelaySeconds(settings: RetrierSettings, retriesSoFar: number): number {
  const delay = settings.intervalSeconds * settings.backoffRate ** retriesSoFar;
  return settings.maxDelaySeconds === undefined ? delay : Math.min(delay, settings.maxDelaySeconds);
}

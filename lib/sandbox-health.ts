// Whether the built-in sandbox answers, for /api/health: one cheap GET of its open health route
// with a short timeout, the answer kept briefly so a monitor polling the site never turns into
// load on the sandbox, and concurrent asks sharing one probe.
export type SandboxState = "up" | "down";

export interface ProbeOptions {
  /** A sandbox slower than this to answer its health route counts as down. */
  timeoutMs?: number;
  /** How long an answer is reused. */
  cacheMs?: number;
}

export function sandboxProbe(baseUrl: string, { timeoutMs = 500, cacheMs = 1000 }: ProbeOptions = {}): () => Promise<SandboxState> {
  let cached: { state: SandboxState; at: number } | null = null;
  let inFlight: Promise<SandboxState> | null = null;
  const probe = async (): Promise<SandboxState> => {
    try {
      const res = await fetch(`${baseUrl}/_sandbox/health`, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
      await res.body?.cancel();
      return res.ok ? "up" : "down";
    } catch {
      return "down";
    }
  };
  return () => {
    if (cached && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.state);
    inFlight ??= probe().then((state) => {
      cached = { state, at: Date.now() };
      inFlight = null;
      return state;
    });
    return inFlight;
  };
}

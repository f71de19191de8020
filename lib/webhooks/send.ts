// One HTTP POST of a signed event. node:http rather than fetch, for two reasons: the connection
// goes only to an address the outbound policy allows (the lookup below checks the addresses DNS
// gives at connect time, so a name that re-resolves to 127.0.0.1 between the check and the
// connection is still refused), and redirects are never followed (a 3xx is a failed try, never
// a request to an unchecked address).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, isHostListed, type OutboundPolicy } from "@/semantics/net";

export const USER_AGENT = "LabGrader-Webhooks/1";
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The response body is read only this far: receivers' answers are not kept. */
const MAX_RESPONSE_BYTES = 1_024;

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: OutboundPolicy;
  timeoutMs?: number;
}

export type SendResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

class RefusedAddressError extends Error {
  readonly code = "EREFUSEDADDRESS";
}

/** DNS lookup that refuses any address the policy refuses (all of them are checked, not just the first). */
function policyLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      if (!isHostListed(hostname, policy.allowed)) {
        for (const a of addresses) {
          const why = addressRefusal(a.address, policy);
          if (why !== undefined) return callback(new RefusedAddressError(`The host ${hostname} resolves to ${a.address}: ${why}`), "", 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`The host ${hostname} resolves to no address.`), { code: "ENOTFOUND" }), "", 0);
      return callback(null, first.address, first.family);
    });
  };
}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof RefusedAddressError) return `Not sent: ${err.message}`;
  const e = err as NodeJS.ErrnoException & { name?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `The receiver did not answer within ${Math.round(timeoutMs / 1000)} seconds.`;
  switch (e?.code) {
    case "ECONNREFUSED":
      return "The receiver refused the connection (nothing listens at that address and port).";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "The receiver's host name could not be resolved.";
    case "ECONNRESET":
      return "The receiver closed the connection before answering.";
    default:
      return `The request failed: ${e?.message ? e.message.slice(0, 200) : String(err).slice(0, 200)}${e?.code ? ` (${e.code})` : ""}.`;
  }
}

export function postSigned(req: SendRequest): Promise<SendResult> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = new URL(req.url);
  const client = url.protocol === "https:" ? https : http;
  const body = Buffer.from(req.body, "utf8");
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...req.headers, "Content-Length": String(body.length) },
        lookup: policyLookup(req.policy),
        // The whole exchange, connect to last byte read, must fit in the timeout.
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          if (status >= 200 && status < 300) finish({ ok: true, status });
          else if (status >= 300 && status < 400) finish({ ok: false, status, error: `The receiver answered HTTP ${status} (a redirect); redirects are not followed. Register the final URL instead.` });
          else finish({ ok: false, status, error: `The receiver answered HTTP ${status}.` });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    request.on("error", (err) => finish({ ok: false, error: describeError(err, timeoutMs) }));
    request.end(body);
  });
}

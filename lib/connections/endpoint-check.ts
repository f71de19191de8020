// LocalStack endpoints pass the outbound-address policy (semantics/net) before they are stored:
// the grader would otherwise make requests, on the learner's behalf, into the host's network.
import { lookup } from "node:dns/promises";
import { endpointPolicy, env } from "@/lib/env";
import { checkUrl, parseAllowedEndpoints, type OutboundPolicy, type Resolver, type Verdict } from "@/semantics/net";

/** The policy in force (ENDPOINT_POLICY, else DEPLOYMENT_MODE; ALLOWED_ENDPOINTS). */
export function outboundPolicy(): OutboundPolicy {
  return { policy: endpointPolicy(), allowed: parseAllowedEndpoints(env.ALLOWED_ENDPOINTS) };
}

const resolveAll: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export function checkEndpoint(url: string, policy: OutboundPolicy = outboundPolicy(), resolve: Resolver = resolveAll): Promise<Verdict> {
  return checkUrl(url, resolve, policy);
}

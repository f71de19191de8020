// Local mode answers only requests addressed to the sandbox itself, and refuses web pages of
// other origins — as LocalStack does with its CORS origin allow-list. A sandbox on a learner's
// laptop takes `test`/`test` unsigned, so without this any web page the learner visits could
// drive it: by a form post (which carries an Origin) or by DNS rebinding (a foreign Host).
// Hosted mode signs every request with an issued key, which a web page does not have.
import type { IncomingHttpHeaders } from "node:http";

export interface HostPolicy {
  /** Why a request is refused, or undefined when it may be answered. */
  refusal(headers: IncomingHttpHeaders): string | undefined;
}

export const ANY_HOST: HostPolicy = { refusal: () => undefined };

/** The sandbox's own addresses: the listen host and port, its loopback aliases, and the public URL's. */
export function ownHosts(listenHost: string, port: number, publicUrl: string | undefined): string[] {
  const bare = listenHost.startsWith("[") ? listenHost.slice(1, -1) : listenHost;
  const hosts = new Set([`${bare.includes(":") ? `[${bare}]` : bare}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  if (publicUrl !== undefined && publicUrl !== "") hosts.add(new URL(publicUrl).host);
  return [...hosts].map((h) => h.toLowerCase());
}

export function localHostPolicy(hosts: readonly string[], publicUrl: string | undefined): HostPolicy {
  const allowedHosts = new Set(hosts);
  const origins = new Set(hosts.map((h) => `http://${h}`));
  if (publicUrl !== undefined && publicUrl !== "") origins.add(new URL(publicUrl).origin);
  const named = [...allowedHosts].join(", ");
  return {
    refusal(headers) {
      const host = headers.host;
      if (host === undefined || (!allowedHosts.has(host) && !allowedHosts.has(host.toLowerCase()))) {
        return `This sandbox answers only requests addressed to it (Host ${named}), not Host "${String(host ?? "").slice(0, 100)}". If clients reach it by another name, set SANDBOX_PUBLIC_URL to that address.`;
      }
      const origin = headers.origin;
      if (origin !== undefined && !origins.has(origin) && !origins.has(origin.toLowerCase())) {
        return `This sandbox does not answer web pages of other origins: Origin "${origin.slice(0, 100)}" is not one of ${[...origins].join(", ")}.`;
      }
      return undefined;
    },
  };
}

// The admin API under /_sandbox/: health (open), accounts, reset, delete, the grader's keys.
// Only a bearer token reaches it — never AWS keys — compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ServiceModule } from "./contracts";
import type { AccountDirectory, AccountRecord } from "./accounts";
import { TEST_ACCOUNT_ID } from "./accounts";
import { isAccountId } from "./aws-names";
import type { WireRequest, WireResponse } from "./wire";
import { header } from "./wire";

export interface AdminDeps {
  adminToken: string;
  accounts: AccountDirectory;
  modules: () => readonly ServiceModule[];
  /** Hosted mode has no test account 000000000000. */
  hosted: boolean;
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(body) };
}

function problem(status: number, error: string, message: string): WireResponse {
  return json(status, { error, message });
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Hashing both sides first makes the comparison constant-time whatever the lengths. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function keys(a: AccountRecord) {
  return { accountId: a.accountId, accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
}

export function isAdminPath(rawPath: string): boolean {
  return rawPath === "/_sandbox" || rawPath.startsWith("/_sandbox/");
}

export function handleAdmin(deps: AdminDeps, req: WireRequest): WireResponse {
  const path = req.rawPath.replace(/\/+$/, "");
  if (path === "/_sandbox/health") {
    if (req.method !== "GET" && req.method !== "HEAD") return problem(405, "MethodNotAllowed", "Use GET /_sandbox/health.");
    return json(200, { status: "ok", services: deps.modules().map((m) => m.definition.signingName) });
  }
  const auth = header(req, "authorization") ?? "";
  if (!auth.startsWith("Bearer ")) {
    return problem(401, "Unauthorized", "The admin API needs the header 'Authorization: Bearer <SANDBOX_ADMIN_TOKEN>'; AWS credentials do not reach it.");
  }
  if (!tokenMatches(auth.slice(7).trim(), deps.adminToken)) return problem(401, "Unauthorized", "The admin token is not valid.");

  if (path === "/_sandbox/accounts") {
    if (req.method !== "POST") return problem(405, "MethodNotAllowed", "Use POST /_sandbox/accounts to create an account.");
    return json(201, keys(deps.accounts.create("learner")));
  }
  if (path === "/_sandbox/grader") {
    if (req.method !== "GET") return problem(405, "MethodNotAllowed", "Use GET /_sandbox/grader.");
    return json(200, keys(deps.accounts.grader()));
  }
  const m = /^\/_sandbox\/accounts\/([^/]+)(\/reset)?$/.exec(path);
  if (m) {
    const id = m[1] ?? ""; // account ids are digits: nothing to decode
    const account = deps.accounts.get(id);
    const known = account !== undefined || (id === TEST_ACCOUNT_ID && !deps.hosted);
    if (!isAccountId(id)) return problem(400, "InvalidAccountId", `"${id.slice(0, 40)}" is not a 12-digit account id.`);
    if (!known) return problem(404, "NoSuchAccount", `The account ${id} does not exist.`);
    if (m[2]) {
      if (req.method !== "POST") return problem(405, "MethodNotAllowed", `Use POST /_sandbox/accounts/${id}/reset.`);
      resetAccount(deps, id);
      return json(200, { accountId: id, reset: true });
    }
    if (req.method === "GET") {
      if (!account) return json(200, { accountId: id, accessKeyId: "test", secretAccessKey: "test" });
      return json(200, keys(account));
    }
    if (req.method === "DELETE") {
      if (!account) return problem(409, "Conflict", "The test account 000000000000 cannot be deleted; reset it instead.");
      if (account.kind === "grader") return problem(409, "Conflict", "The grader account cannot be deleted; reset it instead.");
      resetAccount(deps, id);
      deps.accounts.delete(id);
      return json(200, { accountId: id, deleted: true });
    }
    return problem(405, "MethodNotAllowed", `Use GET, DELETE /_sandbox/accounts/${id} or POST /_sandbox/accounts/${id}/reset.`);
  }
  return problem(404, "NotFound", `No admin route ${req.method} ${path.slice(0, 200)}. Routes: GET /_sandbox/health, POST /_sandbox/accounts, GET|DELETE /_sandbox/accounts/{id}, POST /_sandbox/accounts/{id}/reset, GET /_sandbox/grader.`);
}

function resetAccount(deps: AdminDeps, accountId: string): void {
  for (const m of deps.modules()) m.resetAccount(accountId);
  deps.accounts.dropSessions(accountId);
}

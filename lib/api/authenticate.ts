// The only credential /api/v1 accepts: `Authorization: Bearer <personal token>` (RFC 6750).
// Plain Web Request in, so the same handlers serve Next and a bare HTTP server (the CLI's tests).
import { ApiProblem } from "./problem";
import { resolveApiToken, type ApiPrincipal } from "./tokens";

const REALM = 'Bearer realm="lab-grader"';

function challenge(error?: "invalid_token", description?: string): string {
  if (!error) return REALM;
  return `${REALM}, error="${error}"${description ? `, error_description="${description}"` : ""}`;
}

function unauthorized(code: string, detail: string, error?: "invalid_token", description?: string): ApiProblem {
  return new ApiProblem(401, code, detail, { headers: { "WWW-Authenticate": challenge(error, description) } });
}

/** The bearer token of the request, or an ApiProblem saying what is wrong with the header. */
export function bearerToken(request: Request): string | ApiProblem {
  const header = request.headers.get("authorization");
  if (!header) {
    return unauthorized("missing-token", "This request needs a personal API token. Create one on your account page (/account) and send it as Authorization: Bearer <token>.");
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match?.[1]) {
    return unauthorized("invalid-authorization", "The Authorization header must be \"Bearer\" followed by one personal API token.", "invalid_token", "malformed");
  }
  return match[1];
}

/** The user and token the request acts for, or throws a 401 problem. */
export async function authenticate(request: Request, now = new Date()): Promise<ApiPrincipal> {
  const token = bearerToken(request);
  if (token instanceof ApiProblem) throw token;
  const principal = await resolveApiToken(token, now);
  if (!principal) {
    throw unauthorized("invalid-token", "This token is not valid: it is unknown, it was revoked, or its account no longer exists. Create a new one on your account page (/account).", "invalid_token", "unknown or revoked");
  }
  return principal;
}

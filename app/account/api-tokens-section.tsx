// The "API tokens" part of the account page: what tokens are for, the create form, and the list
// (never the tokens themselves: only their names and prefixes).
import { headers } from "next/headers";
import { listApiTokens, MAX_LIVE_TOKENS } from "@/lib/api/tokens";
import { CreateTokenForm, RevokeTokenButton } from "./api-token-forms";

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "Never");

async function siteOrigin(): Promise<string> {
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
}

export async function ApiTokensSection({ userId }: { userId: string }) {
  const [tokens, origin] = await Promise.all([listApiTokens(userId), siteOrigin()]);
  const live = tokens.filter((t) => !t.revokedAt).length;
  return (
    <section aria-labelledby="api-tokens-heading">
      <h2 id="api-tokens-heading">API tokens</h2>
      <p>
        A personal API token lets a script, your CI or <code>lab-check --remote</code> check your steps and read your progress as you, through the{" "}
        <a href="/api/v1/openapi.json">HTTP API</a>. Treat a token like a password. You can have up to {MAX_LIVE_TOKENS} active tokens.
      </p>
      <div className="code-block">
        <div className="code-title">Terminal</div>
        {/* Focusable: a scrollable region must be reachable from the keyboard. */}
        <pre tabIndex={0}>
          <code>{`npx lab-check --remote ${origin} --token "$LAB_GRADER_TOKEN" --step 1\ncurl -H "Authorization: Bearer $LAB_GRADER_TOKEN" ${origin}/api/v1/me/progress`}</code>
        </pre>
      </div>
      <h3>Create a token</h3>
      <CreateTokenForm atLimit={live >= MAX_LIVE_TOKENS} />
      <h3>Your tokens</h3>
      {tokens.length === 0 ? (
        <p>You have no API tokens yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="sr-only">Your API tokens, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{when(t.createdAt)}</td>
                  <td>{when(t.lastUsedAt)}</td>
                  <td>{t.revokedAt ? `Revoked ${when(t.revokedAt)}` : "Active"}</td>
                  <td>
                    <RevokeTokenButton tokenId={t.id} name={t.name} revoked={t.revokedAt !== null} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

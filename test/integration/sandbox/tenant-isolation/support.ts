// The tenant-isolation suite's runner. Each service has a table (<service>.table.ts): how the
// victim's resources are made, how the victim's state is read back, and for every operation of
// the service either the attempts an attacker (another issued account) makes on them or the
// reason the operation names no resource. The runner starts one sandbox per service, makes the
// victim's resources once, runs every attempt with the real @aws-sdk client and checks AWS's
// answer, adds to every row an attempt signed with the victim's access key id and the
// attacker's secret and one signed for an invalid region, and after each row reads the victim's
// state again: it must not have changed.
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceModule } from "@/sandbox/core/contracts";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import { createServices } from "@/sandbox/services/registry";
import type { AccountKeys, ClientConfig, Credentials, TestSandbox } from "@/test/support/sandbox";
import { startTestSandbox } from "@/test/support/sandbox";

export const REGION = "us-east-1";
/** A real region other than the victim's, for attempts signed elsewhere. */
export const OTHER_REGION = "eu-west-1";

export interface Outcome {
  ok: boolean;
  /** The SDK's error name (AWS's error code). */
  name?: string;
  status?: number;
  message?: string;
  output?: Record<string, unknown>;
}

/** AWS's answer: an error name, one of several (where AWS's choice is not pinned down), or a check of a success. */
export type Expectation = string | readonly string[] | ((o: Outcome) => string | undefined);

export interface Attempt {
  /** How the attacker names the victim's resource: "by ARN", "by name", "by URL"… */
  label: string;
  input: Record<string, unknown>;
  /** The region the attacker signs for (the victim's by default). */
  region?: string;
  expect: Expectation;
}

export interface SdkClient {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
  middlewareStack: unknown;
}

export interface Env {
  sb: TestSandbox;
  victim: AccountKeys;
  attacker: AccountKeys;
  /** A client of the table's service for these credentials (the victim's region unless told). */
  client(creds: Credentials, region?: string): SdkClient;
  /** Sends one operation by its AWS name through the SDK's command class. */
  send(client: SdkClient, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface IsolationTable<V> {
  /** The signing name, as the sandbox's operation table has it. */
  service: string;
  newClient(config: ClientConfig): SdkClient;
  /** The SDK module: `${Operation}Command` classes. */
  commands: object;
  /** The error code every refused signature gets in this service's protocol. */
  signatureError: Expectation;
  /** Makes the victim's resources (with the victim's clients, or any other real calls) once. */
  setup(env: Env): Promise<V>;
  /** The victim's resources and data as the victim reads them; compared before and after every row. */
  snapshot(env: Env, v: V): Promise<unknown>;
  /** Operations that take a reference to a resource: the attacker's attempts on the victim's. */
  rows: Record<string, (v: V, env: Env) => Attempt[]>;
  /** Operations that take no reference to another account's resource, with the reason. */
  exempt: Record<string, string>;
}

/** Every operation the sandbox wires, by service: read from the services' own operation tables. */
export function wiredOperations(): Map<string, string[]> {
  const env = memoryEnvironment();
  const { modules } = createServices(env, {
    sessions: {
      issueSession() {
        throw new Error("the operation inventory issues no sessions");
      },
    },
  });
  const out = new Map<string, string[]>();
  for (const m of modules as ServiceModule[]) {
    out.set(m.definition.signingName, Object.keys(m.definition.operations).sort());
    m.close?.();
  }
  return out;
}

export function outcomeOf(e: unknown): Outcome {
  const err = e as Error & { $metadata?: { httpStatusCode?: number }; Code?: string };
  return { ok: false, name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
}

/** What is wrong with an outcome, or undefined when it is AWS's answer. */
export function judge(expected: Expectation, o: Outcome): string | undefined {
  if (typeof expected === "function") return expected(o);
  const names = typeof expected === "string" ? [expected] : expected;
  if (o.ok) return `succeeded (${JSON.stringify(o.output).slice(0, 300)}); AWS answers ${names.join(" or ")}`;
  if (!names.includes(o.name ?? "")) return `answered ${o.name} (${o.status}): ${o.message?.slice(0, 200)}; AWS answers ${names.join(" or ")}`;
  if (o.status !== undefined && (o.status < 400 || o.status >= 500)) return `answered ${o.name} with HTTP ${o.status}`;
  return undefined;
}

/** A success that hands back none of the victim's things: `list` names the member that must be empty. */
export const returnsNothing =
  (list: string) =>
  (o: Outcome): string | undefined => {
    if (!o.ok) return undefined; // refusing is as good
    const items = o.output?.[list];
    return Array.isArray(items) && items.length > 0 ? `listed the victim's ${list}: ${JSON.stringify(items).slice(0, 300)}` : undefined;
  };

/** Signs the client's requests for `region` whatever the client was configured with (the SDK refuses invalid regions itself). */
function forgeSigningRegion(client: SdkClient, region: string): SdkClient {
  const stack = client.middlewareStack as { addRelativeTo(m: unknown, o: unknown): void };
  stack.addRelativeTo(
    (next: (args: unknown) => unknown, context: Record<string, unknown>) => (args: unknown) => {
      const smithy = context.__smithy_context as { selectedHttpAuthScheme?: { httpAuthOption: { signingProperties?: Record<string, unknown> } } } | undefined;
      const scheme = smithy?.selectedHttpAuthScheme;
      if (scheme) scheme.httpAuthOption.signingProperties = { ...scheme.httpAuthOption.signingProperties, region, signingRegion: region };
      return next(args);
    },
    { relation: "after", toMiddleware: "httpAuthSchemeMiddleware", name: "forgeSigningRegion" },
  );
  return client;
}

export function isolationSuite<V>(table: IsolationTable<V>): void {
  describe(`tenant isolation: ${table.service}`, () => {
    let env: Env;
    let v: V;
    let baseline: unknown;
    const clients: SdkClient[] = [];

    it("has a row or an exemption for every operation the sandbox wires, and nothing else", () => {
      const wired = wiredOperations().get(table.service) ?? [];
      const both = Object.keys(table.rows).filter((op) => op in table.exempt);
      expect(both, "operations both with a row and exempt").toEqual([]);
      expect([...Object.keys(table.rows), ...Object.keys(table.exempt)].sort()).toEqual(wired);
    });

    beforeAll(async () => {
      const sb = await startTestSandbox();
      const [victim, attacker] = await Promise.all([sb.createAccount(), sb.createAccount()]);
      const commands = table.commands as Record<string, new (input: Record<string, unknown>) => unknown>;
      env = {
        sb,
        victim,
        attacker,
        client(creds, region = REGION) {
          const c = table.newClient(sb.clientConfig(creds, region));
          clients.push(c);
          return c;
        },
        async send(client, operation, input) {
          const Command = commands[`${operation}Command`];
          if (!Command) throw new Error(`@aws-sdk has no ${operation}Command`);
          return (await client.send(new Command(input))) as Record<string, unknown>;
        },
      };
      v = await table.setup(env);
      baseline = await table.snapshot(env, v);
    }, 120_000);

    afterAll(async () => {
      for (const c of clients) c.destroy();
      await env?.sb.close();
    });

    for (const [operation, attemptsOf] of Object.entries(table.rows)) {
      it(`${operation}: the attacker gets AWS's error and the victim's resources stay as they were`, async () => {
        const attempts = attemptsOf(v, env);
        const first = attempts[0];
        if (!first) throw new Error(`the row for ${operation} has no attempt`);
        const problems: string[] = [];
        const attackerClients = new Map<string, SdkClient>();
        const clientFor = (region: string) => {
          let c = attackerClients.get(region);
          if (!c) attackerClients.set(region, (c = env.client(env.attacker, region)));
          return c;
        };
        const run = async (label: string, client: SdkClient, input: Record<string, unknown>, expected: Expectation) => {
          let o: Outcome;
          try {
            o = { ok: true, output: await env.send(client, operation, input) };
          } catch (e) {
            o = outcomeOf(e);
          }
          const problem = judge(expected, o);
          if (problem) problems.push(`${operation} ${label}: ${problem}`);
        };
        for (const a of attempts) await run(a.label, clientFor(a.region ?? REGION), a.input, a.expect);
        // The same call signed with the victim's access key id and the attacker's secret, and
        // signed for a region outside AWS's grammar: the signature decides before anything else.
        const forgedKey = env.client({ accessKeyId: env.victim.accessKeyId, secretAccessKey: env.attacker.secretAccessKey });
        await run("with the victim's access key id and the attacker's secret", forgedKey, first.input, table.signatureError);
        await run("signed for the region '..'", forgeSigningRegion(env.client(env.attacker), ".."), first.input, table.signatureError);

        const now = await table.snapshot(env, v);
        if (!isDeepStrictEqual(now, baseline)) {
          problems.push(`${operation} changed the victim's state: before ${JSON.stringify(baseline).slice(0, 600)} after ${JSON.stringify(now).slice(0, 600)}`);
          baseline = now; // so the next rows are judged on their own
        }
        expect(problems).toEqual([]);
      });
    }
  });
}

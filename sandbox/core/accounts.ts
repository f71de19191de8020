// Accounts, their long-term keys, and STS session credentials: who a request's access key is.
// `test` is account 000000000000 and is never signature-checked (LocalStack's convention);
// every other key has a secret and must sign. Everything is persisted in the durable store, so
// keys and unexpired sessions survive a restart.
import type { DurableStore } from "./contracts";
import { newAccessKeyId, newAccountId, newSecretAccessKey, newSessionToken } from "./ids";

export const TEST_ACCOUNT_ID = "000000000000";
export const TEST_ACCESS_KEY_ID = "test";

export interface AccountRecord {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  kind: "learner" | "grader";
  createdAt: string;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  /** Epoch ms. */
  expiration: number;
}

export type KeyOwner =
  | { kind: "test" }
  | { kind: "account"; account: AccountRecord }
  | { kind: "session"; session: SessionRecord };

const ACCOUNTS = "_sandbox_accounts";
const SESSIONS = "_sandbox_sessions";
const META = "_sandbox_meta";

export interface IssueSessionInput {
  accountId: string;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  durationSeconds: number;
  now: number;
}

/** What STS needs from the core: minting session credentials. */
export interface SessionIssuer {
  issueSession(input: IssueSessionInput): SessionRecord;
}

export class AccountDirectory implements SessionIssuer {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly byKey = new Map<string, AccountRecord>();
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(private readonly store: DurableStore) {
    for (const [, a] of store.load<AccountRecord>(ACCOUNTS)) this.index(a);
    for (const [, s] of store.load<SessionRecord>(SESSIONS)) this.sessions.set(s.accessKeyId, s);
  }

  private index(a: AccountRecord): void {
    this.accounts.set(a.accountId, a);
    this.byKey.set(a.accessKeyId, a);
  }

  owner(accessKeyId: string): KeyOwner | undefined {
    if (accessKeyId === TEST_ACCESS_KEY_ID) return { kind: "test" };
    const account = this.byKey.get(accessKeyId);
    if (account) return { kind: "account", account };
    const session = this.sessions.get(accessKeyId);
    if (session) return { kind: "session", session };
    return undefined;
  }

  get(accountId: string): AccountRecord | undefined {
    return this.accounts.get(accountId);
  }

  exists(accountId: string): boolean {
    return accountId === TEST_ACCOUNT_ID || this.accounts.has(accountId);
  }

  create(kind: AccountRecord["kind"], now = Date.now()): AccountRecord {
    let accountId = newAccountId();
    while (this.exists(accountId)) accountId = newAccountId();
    const record: AccountRecord = {
      accountId,
      accessKeyId: newAccessKeyId("AKIA"),
      secretAccessKey: newSecretAccessKey(),
      kind,
      createdAt: new Date(now).toISOString(),
    };
    this.store.put(ACCOUNTS, accountId, record);
    this.index(record);
    return record;
  }

  delete(accountId: string): void {
    const a = this.accounts.get(accountId);
    if (!a) return;
    this.store.transaction(() => {
      this.store.delete(ACCOUNTS, accountId);
      this.dropSessions(accountId);
    });
    this.accounts.delete(accountId);
    this.byKey.delete(a.accessKeyId);
  }

  /** Sessions into an account end when it is reset or deleted (their roles are gone). */
  dropSessions(accountId: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.accountId === accountId) {
        this.store.delete(SESSIONS, s.accessKeyId);
        this.sessions.delete(s.accessKeyId);
      }
    }
  }

  /** The grader account, created at first start. */
  grader(now = Date.now()): AccountRecord {
    const id = this.store.load<string>(META).find(([k]) => k === "graderAccountId")?.[1];
    const existing = id === undefined ? undefined : this.accounts.get(id);
    if (existing) return existing;
    const created = this.create("grader", now);
    this.store.put(META, "graderAccountId", created.accountId);
    return created;
  }

  issueSession(input: IssueSessionInput): SessionRecord {
    const session: SessionRecord = {
      accessKeyId: newAccessKeyId("ASIA"),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      accountId: input.accountId,
      roleArn: input.roleArn,
      roleName: input.roleName,
      roleId: input.roleId,
      sessionName: input.sessionName,
      expiration: input.now + input.durationSeconds * 1000,
    };
    this.store.put(SESSIONS, session.accessKeyId, session);
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /** Forgets sessions that expired more than an hour ago (an expired key still answers ExpiredToken for a while). */
  pruneSessions(now: number): void {
    for (const s of [...this.sessions.values()]) {
      if (s.expiration + 3_600_000 < now) {
        this.store.delete(SESSIONS, s.accessKeyId);
        this.sessions.delete(s.accessKeyId);
      }
    }
  }
}

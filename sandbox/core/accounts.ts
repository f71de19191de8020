// Accounts, their long-term keys, and STS session credentials: who a request's access key is.
// `test` is account 000000000000 and is never signature-checked (LocalStack's convention; hosted
// mode refuses it); every other key has a secret and must sign. Everything is persisted in the
// durable store, so keys and unexpired sessions survive a restart — secret keys sealed
// (sealing.ts), session tokens only as their SHA-256 (they are handed out once, by STS, and
// afterwards only ever compared).
import { createHash } from "node:crypto";
import type { DurableStore } from "./contracts";
import { newAccessKeyId, newAccountId, newSecretAccessKey, newSessionToken } from "./ids";
import type { Sealer } from "./sealing";

export const TEST_ACCOUNT_ID = "000000000000";
export const TEST_ACCESS_KEY_ID = "test";

export interface AccountRecord {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  kind: "learner" | "grader";
  createdAt: string;
}

/** Session credentials as STS hands them out, once. */
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

/** A session as the sandbox keeps it: the token only as its digest. */
export interface ActiveSession extends Omit<SessionRecord, "sessionToken"> {
  tokenDigest: Buffer;
}

export type KeyOwner =
  | { kind: "test" }
  | { kind: "account"; account: AccountRecord }
  | { kind: "session"; session: ActiveSession };

/** The rows in the store: the secret sealed, never in plain text. */
interface StoredAccount {
  accountId: string;
  accessKeyId: string;
  sealedSecret: string;
  kind: AccountRecord["kind"];
  createdAt: string;
}
interface StoredSession extends Omit<ActiveSession, "secretAccessKey" | "tokenDigest"> {
  sealedSecret: string;
  tokenDigest: string; // hex
}
/** Rows written before secrets were sealed: still read, and rewritten sealed at load. */
type LegacyAccount = Omit<StoredAccount, "sealedSecret"> & { secretAccessKey: string };
type LegacySession = Omit<StoredSession, "sealedSecret" | "tokenDigest"> & { secretAccessKey: string; sessionToken: string };

const ACCOUNTS = "_sandbox_accounts";
const SESSIONS = "_sandbox_sessions";
const META = "_sandbox_meta";

/** The digest a session token is kept and compared as (equal lengths for timingSafeEqual). */
export function sessionTokenDigest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

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
  private readonly sessions = new Map<string, ActiveSession>();

  constructor(
    private readonly store: DurableStore,
    private readonly sealer: Sealer,
  ) {
    const accounts = store.load<StoredAccount | LegacyAccount>(ACCOUNTS);
    const sessions = store.load<StoredSession | LegacySession>(SESSIONS);
    store.transaction(() => {
      for (const [, row] of accounts) this.index(this.loadAccount(row));
      for (const [, row] of sessions) {
        const s = this.loadSession(row);
        this.sessions.set(s.accessKeyId, s);
      }
    });
  }

  private loadAccount(row: StoredAccount | LegacyAccount): AccountRecord {
    const { accountId, accessKeyId, kind, createdAt } = row;
    if ("sealedSecret" in row) return { accountId, accessKeyId, secretAccessKey: this.sealer.open(row.sealedSecret, accessKeyId), kind, createdAt };
    const record: AccountRecord = { accountId, accessKeyId, secretAccessKey: row.secretAccessKey, kind, createdAt };
    this.putAccount(record); // a plain-text row from before sealing: rewritten sealed
    return record;
  }

  private loadSession(row: StoredSession | LegacySession): ActiveSession {
    const { accessKeyId, accountId, roleArn, roleName, roleId, sessionName, expiration } = row;
    const base = { accessKeyId, accountId, roleArn, roleName, roleId, sessionName, expiration };
    if ("sealedSecret" in row) {
      return { ...base, secretAccessKey: this.sealer.open(row.sealedSecret, accessKeyId), tokenDigest: Buffer.from(row.tokenDigest, "hex") };
    }
    const session: ActiveSession = { ...base, secretAccessKey: row.secretAccessKey, tokenDigest: sessionTokenDigest(row.sessionToken) };
    this.putSession(session);
    return session;
  }

  private putAccount(a: AccountRecord): void {
    const row: StoredAccount = {
      accountId: a.accountId,
      accessKeyId: a.accessKeyId,
      sealedSecret: this.sealer.seal(a.secretAccessKey, a.accessKeyId),
      kind: a.kind,
      createdAt: a.createdAt,
    };
    this.store.put(ACCOUNTS, a.accountId, row);
  }

  private putSession(s: ActiveSession): void {
    const { secretAccessKey, tokenDigest, ...rest } = s;
    const row: StoredSession = { ...rest, sealedSecret: this.sealer.seal(secretAccessKey, s.accessKeyId), tokenDigest: tokenDigest.toString("hex") };
    this.store.put(SESSIONS, s.accessKeyId, row);
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
    this.putAccount(record);
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
    const { sessionToken, ...kept } = session;
    const active: ActiveSession = { ...kept, tokenDigest: sessionTokenDigest(sessionToken) };
    this.putSession(active);
    this.sessions.set(active.accessKeyId, active);
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

// What a failed AWS call said, for assertions: the error's code (the SDK's exception name, or an
// AwsError's code when a handler is called directly), its message and HTTP status.

export interface CallError {
  name: string;
  message: string;
  status?: number;
}

/** Awaits a call that must fail; throws when it succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<CallError> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; status?: number };
    const status = err.$metadata?.httpStatusCode ?? err.status;
    return { name: err.name, message: err.message, ...(status !== undefined ? { status } : {}) };
  }
  throw new Error("expected the call to fail");
}

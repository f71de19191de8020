// The one way a service declares its errors: each AWS error code once, in the service's
// errors.ts, with the HTTP status AWS gives it (and the query protocol's code where the service's
// model names it differently). Calling the declaration makes the error with a message; wordings
// AWS uses for particular situations are small functions built on these.
import { AwsError } from "./contracts";

export interface ErrorCode {
  (message: string): AwsError;
  /** The code, for a handler that recognises an error it caught (`e.code === NotFound.code`). */
  readonly code: string;
}

export function errorCode(code: string, status: number, options: { queryCode?: string } = {}): ErrorCode {
  const make = (message: string) => new AwsError(code, message, status, options);
  return Object.assign(make, { code });
}

import { GraphQLError } from "graphql";

/**
 * The stable error codes clients branch on. UNAUTHENTICATED means "sign in (again)";
 * FORBIDDEN means "you are signed in but may not"; NOT_FOUND is also what another business's
 * data looks like, so that its existence is not disclosed.
 */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INTERNAL_SERVER_ERROR"
  /** The request itself could not be read (malformed JSON, unsupported charset, body too large). */
  | "BAD_REQUEST"
  /** The operation is over a limit (depth, aliases, tokens, cost); nothing ran. */
  | "QUERY_TOO_COMPLEX"
  /** The database is unreachable or the server is saturated: HTTP 503, retry after Retry-After seconds. */
  | "SERVICE_UNAVAILABLE";

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const badInput = (message: string, field?: string) => appError("BAD_USER_INPUT", message, field ? { field } : {});
export const unauthenticated = (message = "Sign in to use this API: send a valid bearer token in the Authorization header.") =>
  appError("UNAUTHENTICATED", message);
export const forbidden = (message = "You do not have permission to do this.") => appError("FORBIDDEN", message);
export const notFound = (what: string) => appError("NOT_FOUND", `${what} was not found, or you do not have access to it.`);

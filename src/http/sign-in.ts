import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import type { Access } from "../auth/access.js";
import type { AccessLoader } from "../auth/access-loader.js";
import type { TokenVerifier } from "../auth/identity.js";
import { columnsOf, hydrate } from "../db/rows.js";
import { User } from "../modules/user/user.entity.js";

/** Who sent a request, by its token alone (no database): null when anonymous. */
export interface Identity {
  subject: string;
  expiresAt: number;
}

export interface SignedIn {
  /** The portal profile; null when anonymous, or signed in but without a profile yet. */
  user: User | null;
  /** The verified token subject, when a token was sent. */
  subject: string | null;
  expiresAt: number | null;
  /** What the profile's person may reach, read in the same statement (absent without a profile). */
  access?: Access;
}

/** The challenge of every 401 (RFC 6750): a bearer token is what this API takes. */
export const WWW_AUTHENTICATE = 'Bearer realm="carm-portal-api"';

const unauthenticatedHttp = (message: string) =>
  new GraphQLError(message, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401, headers: new Map([["www-authenticate", `${WWW_AUTHENTICATE}, error="invalid_token"`]]) } },
  });

/**
 * The identity behind an Authorization header value, or null when there is none; UNAUTHENTICATED
 * (401) for a header that is not a valid bearer token. Only the verifier's own sentences reach the
 * client: a library's message (a key set, a cache, a parser) says nothing a client can act on.
 */
export async function identify(authorization: string | undefined, verifier: TokenVerifier): Promise<Identity | null> {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthenticatedHttp('The Authorization header must be "Bearer <token>".');
  try {
    return await verifier.verify(m[1]!);
  } catch (err) {
    const own = err instanceof GraphQLError && err.extensions.code === "UNAUTHENTICATED";
    throw unauthenticatedHttp(own ? err.message : "The bearer token is not valid: sign in again to get a new one.");
  }
}

/** The profile (and what it may reach) of an identity, in one statement. */
export async function profileOf(identity: Identity | null, db: DataSource, accessLoader: AccessLoader): Promise<SignedIn> {
  if (!identity) return { user: null, subject: null, expiresAt: null };
  // A valid sign-in without a profile yet may only create one (createProfile).
  const found = await accessLoader.loadBySubject(db, identity.subject, columnsOf(db, User, "u"));
  const user = found ? hydrate(db, User, [found.row])[0]! : null;
  return { user, subject: identity.subject, expiresAt: identity.expiresAt, access: found?.access };
}

/** Who is behind an Authorization header value, and when their token expires. */
export async function signIn(authorization: string | undefined, verifier: TokenVerifier, db: DataSource, accessLoader: AccessLoader): Promise<SignedIn> {
  return profileOf(await identify(authorization, verifier), db, accessLoader);
}

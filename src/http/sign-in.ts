import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import { Access } from "../auth/access.js";
import type { TokenVerifier } from "../auth/identity.js";
import { columnsOf, hydrate } from "../db/rows.js";
import { User } from "../modules/user/user.entity.js";

export interface SignedIn {
  /** The portal profile; null when anonymous, or signed in but without a profile yet. */
  user: User | null;
  /** The verified token subject, when a token was sent. */
  subject: string | null;
  expiresAt: number | null;
  /** What the profile's person may reach, read in the same statement (absent without a profile). */
  access?: Access;
}

const unauthenticatedHttp = (message: string) =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

/** Who is behind an Authorization header value, and when their token expires. */
export async function signIn(authorization: string | undefined, verifier: TokenVerifier, db: DataSource): Promise<SignedIn> {
  if (!authorization) return { user: null, subject: null, expiresAt: null };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthenticatedHttp('The Authorization header must be "Bearer <token>".');
  let verified: { subject: string; expiresAt: number };
  try {
    verified = await verifier.verify(m[1]!);
  } catch (err) {
    throw unauthenticatedHttp(err instanceof Error ? err.message : "The bearer token is not valid.");
  }
  // A valid sign-in without a profile yet may only create one (createProfile).
  const found = await Access.loadBySubject(db, verified.subject, columnsOf(db, User, "u"));
  const user = found ? hydrate(db, User, [found.row])[0]! : null;
  return { user, subject: verified.subject, expiresAt: verified.expiresAt, access: found?.access };
}

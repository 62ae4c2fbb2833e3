import fs from "node:fs";
import path from "node:path";
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, importSPKI, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey, type KeyObject, type CryptoKey } from "jose";
import { LRUCache } from "lru-cache";
import type { AuthConfig } from "../config.js";
import { unauthenticated } from "../common/errors.js";

type Key = CryptoKey | KeyObject | Uint8Array;

/**
 * Verifies bearer tokens (signature, issuer, audience, expiry) and returns the subject.
 * With no real issuer configured, a local development issuer signs tokens for demo personas;
 * it is off whenever AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set.
 */
export interface TokenVerifier {
  /** The subject, and when the token expires (ms since epoch; tokens without `exp` are refused). */
  verify(token: string): Promise<{ subject: string; expiresAt: number }>;
}

/** The leeway on `exp`, `nbf` and `iat` for clocks that differ between the issuer and this server. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A subject is stored as the profile's key (users.subject, 255 characters). */
export const MAX_SUBJECT_LENGTH = 255;

/**
 * Why a verified token's subject is not one this API can use as a person's key, or null: it must be a
 * string of 1 to MAX_SUBJECT_LENGTH characters, printable (no control, format, surrogate, private-use
 * or unassigned code point: a NUL cannot even be stored) and not only spaces. An issuer may sign
 * anything; what it signed still has to name someone.
 */
export function subjectProblem(sub: unknown): string | null {
  if (typeof sub !== "string") return "has no subject (sub) that is a string";
  if (sub.trim() === "") return "has an empty subject (sub)";
  if (sub.length > MAX_SUBJECT_LENGTH) return `has a subject (sub) longer than ${MAX_SUBJECT_LENGTH} characters`;
  if (/\p{C}/u.test(sub)) return "has a subject (sub) with characters that are not printable";
  return null;
}

export async function createTokenVerifier(config: AuthConfig, dataDir: string, now: () => number = Date.now): Promise<TokenVerifier> {
  let key: JWTVerifyGetKey | Key;
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
  } else if (config.publicKeyPem) {
    key = await importSPKI(config.publicKeyPem, config.publicKeyAlg);
  } else {
    const dev = await loadDevIssuer(dataDir);
    key = createLocalJWKSet({ keys: [dev.publicJwk] });
  }
  const refuse = (reason: string) => unauthenticated(`The bearer token ${reason}: sign in again to get a new one.`);
  const maxLifetime = config.maxTokenLifetimeSeconds;
  const verifier: TokenVerifier = {
    async verify(token: string) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
          // A token that never expires cannot be revoked by waiting: refuse it.
          requiredClaims: ["exp", "sub"],
        }));
      } catch (err) {
        // Only our own sentences (which check failed): a library's message says nothing a client can act on.
        throw refuse(refusalReason(err, !config.jwksUrl && !config.publicKeyPem));
      }
      const problem = subjectProblem(payload.sub);
      if (problem) throw refuse(problem);
      const nowSeconds = now() / 1000;
      // Issued in the future (past the leeway): a clock gone wrong at the issuer, or a token minted
      // to outlive the lifetime check below. Either way not one to honour.
      if (payload.iat !== undefined && payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw refuse("was issued in the future (iat)");
      // A token living longer than the issuer should ever sign would stay usable long after its
      // holder lost the right; refused, so that expiry keeps its meaning.
      const lifetime = payload.exp! - (payload.iat ?? nowSeconds);
      if (lifetime > maxLifetime + CLOCK_TOLERANCE_SECONDS) throw refuse(`lives longer than ${formatSeconds(maxLifetime)}, the longest this API accepts`);
      return { subject: payload.sub!, expiresAt: payload.exp! * 1000 };
    },
  };
  return config.verifiedCacheSeconds > 0 ? rememberingVerified(verifier, { seconds: config.verifiedCacheSeconds }) : verifier;
}

/**
 * Why a token was refused, in words a person can act on: which check failed (signing key, issuer,
 * audience, expiry, shape), never the expected values, key ids or anything else of the server's.
 */
function refusalReason(err: unknown, devIssuer: boolean): string {
  const { code, claim } = err as { code?: string; claim?: string };
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "has expired";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      // The development issuer's key lives in the server's DATA_DIR: a token made beside another data
      // directory (or by another server) is the usual cause.
      return devIssuer
        ? "was signed by another key than this server's development issuer (made for another server or data directory?): get one from this server (npm run token, /dev/personas)"
        : "was not signed by a key of the identity provider this API trusts";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (claim === "exp") return "has no expiry (exp)";
      if (claim === "iss") return "was issued by another issuer than the one this API trusts";
      if (claim === "aud") return "is meant for another audience (aud) than this API";
      if (claim === "sub") return "names no subject (sub)";
      if (claim === "nbf") return "is not valid yet (nbf)";
      return "is not valid";
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
      return "is not a well-formed signed JWT";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return "is signed with an algorithm this API does not accept";
    default:
      return "is not valid";
  }
}

/**
 * A verifier that remembers, for a while, the tokens it has verified: a front end sends the same
 * token with every request until it expires, and checking its signature again each time (ES256 or
 * RS256) was about a twelfth of the API's CPU on a list page. The token's exact text is the key, so
 * only the very bytes already verified are taken on trust; nothing is remembered of a token refused.
 * A remembered token is still refused once past its expiry (with the same leeway); it is forgotten
 * `seconds` after it was verified, so that a key withdrawn from the issuer's key set stops being
 * honoured within that time. Tokens are not revocable before their expiry either way: the profile
 * is read on every request, so a person removed from the portal is refused at once.
 * Bounded in entries and in bytes, least recently used first out.
 */
export function rememberingVerified(inner: TokenVerifier, opts: { seconds: number; maxEntries?: number; maxBytes?: number; now?: () => number }): TokenVerifier {
  const now = opts.now ?? Date.now;
  const cache = new LRUCache<string, { subject: string; expiresAt: number }>({
    max: opts.maxEntries ?? 10_000,
    maxSize: opts.maxBytes ?? 16 * 1024 * 1024,
    sizeCalculation: (value, token) => token.length * 2 + value.subject.length * 2 + 64,
    // Each entry's time to live is set below; the clock is read at every look-up, not once a millisecond.
    perf: { now },
    ttlResolution: 0,
  });
  return {
    async verify(token: string) {
      const known = cache.get(token);
      if (known) return { ...known };
      const verifiedAt = now();
      const verified = await inner.verify(token);
      // lru-cache keeps an entry while its age (from `start`) is at most its ttl: remembered for less
      // than `seconds` from the check, and not past the token's expiry with its leeway. A ttl of 0
      // would mean "for ever": such a token is not kept.
      const ttl = Math.min(opts.seconds * 1000 - 1, verified.expiresAt + CLOCK_TOLERANCE_SECONDS * 1000 - verifiedAt);
      if (ttl > 0) cache.set(token, { ...verified }, { ttl, start: verifiedAt });
      return verified;
    },
  };
}

const formatSeconds = (s: number) => (s % 3600 === 0 ? `${s / 3600} hours` : s % 60 === 0 ? `${s / 60} minutes` : `${s} seconds`);

export interface DevIssuer {
  publicJwk: JWK;
  sign(subject: string, opts?: { expiresIn?: string }): Promise<string>;
}

const DEV_ALG = "ES256";

/** The development issuer's key pair, created once and kept in the data directory. */
export async function loadDevIssuer(dataDir: string, config?: Pick<AuthConfig, "issuer" | "audience">): Promise<DevIssuer> {
  const file = path.join(dataDir, "dev-issuer-key.json");
  let stored: { privateJwk: JWK; publicJwk: JWK };
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, "utf8"));
  } else {
    const { privateKey, publicKey } = await generateKeyPair(DEV_ALG, { extractable: true });
    const kid = `dev-${Date.now()}`;
    stored = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALG },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALG },
    };
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    // Two processes starting together keep the first key, and neither reads a half-written file: the
    // key is written whole to a file of this process's own, then linked to its name (atomic, and
    // refused when the name exists); the loser reads the winner's complete file.
    const own = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(own, JSON.stringify(stored), { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(own, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      stored = JSON.parse(fs.readFileSync(file, "utf8"));
    } finally {
      fs.rmSync(own, { force: true });
    }
  }
  const privateKey = await importJWK(stored.privateJwk, DEV_ALG);
  const issuer = config?.issuer ?? "carm-portal-api-dev";
  const audience = config?.audience ?? "carm-portal-api";
  return {
    publicJwk: stored.publicJwk,
    sign: (subject, opts = {}) =>
      new SignJWT({})
        .setProtectedHeader({ alg: DEV_ALG, kid: stored.publicJwk.kid })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? "12h")
        .sign(privateKey),
  };
}

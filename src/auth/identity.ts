import fs from "node:fs";
import path from "node:path";
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, importSPKI, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey, type KeyObject, type CryptoKey } from "jose";
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

export async function createTokenVerifier(config: AuthConfig, dataDir: string): Promise<TokenVerifier> {
  let key: JWTVerifyGetKey | Key;
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
  } else if (config.publicKeyPem) {
    key = await importSPKI(config.publicKeyPem, config.publicKeyAlg);
  } else {
    const dev = await loadDevIssuer(dataDir);
    key = createLocalJWKSet({ keys: [dev.publicJwk] });
  }
  return {
    async verify(token: string) {
      try {
        const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: 30,
          // A token that never expires cannot be revoked by waiting: refuse it.
          requiredClaims: ["exp", "sub"],
        });
        return { subject: payload.sub!, expiresAt: payload.exp! * 1000 };
      } catch (err) {
        const { code, claim } = err as { code?: string; claim?: string };
        const reason =
          code === "ERR_JWT_EXPIRED" ? "has expired" : code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && claim === "exp" ? "has no expiry (exp)" : "is not valid";
        throw unauthenticated(`The bearer token ${reason}: sign in again to get a new one.`);
      }
    },
  };
}

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
    // Written exclusively: two processes starting together keep the first key.
    try {
      fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600, flag: "wx" });
    } catch {
      stored = JSON.parse(fs.readFileSync(file, "utf8"));
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

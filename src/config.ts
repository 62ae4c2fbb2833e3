import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (works from src/ under ts and from dist/src/ once compiled). */
export const projectRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? "../.." : "..",
);

export interface AuthConfig {
  /** Expected `iss` of bearer tokens. */
  issuer: string;
  /** Expected `aud` of bearer tokens. */
  audience: string;
  /** A real issuer's key set, fetched and cached by URL. */
  jwksUrl?: string;
  /** Or a real issuer's public key (PEM, SPKI). */
  publicKeyPem?: string;
  /** Signature algorithm for `publicKeyPem`. */
  publicKeyAlg: string;
  /**
   * The local development issuer: on only when no real issuer is configured.
   * Its key pair lives in the data directory so that tokens survive restarts.
   */
  devIssuer: boolean;
}

export interface Config {
  env: "development" | "test" | "production";
  port: number;
  host: string;
  /** External PostgreSQL; when absent the embedded server is started. */
  databaseUrl?: string;
  /** Where embedded PostgreSQL keeps its cluster and the dev issuer its key. */
  dataDir: string;
  /** DATA_DIR was given (otherwise `.data` in the checkout, which may be moved if unreachable). */
  dataDirExplicit: boolean;
  embeddedPort: number;
  auth: AuthConfig;
  /** Load the demo world on start (idempotent). */
  seedDemo: boolean;
  /** Report the number of SQL statements per request in `extensions.sqlStatements` (never in production). */
  exposeSqlCount: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  maxQueryDepth: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  return ["1", "true", "yes", "on"].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  const jwksUrl = env.AUTH_JWKS_URL || undefined;
  const publicKeyPem = env.AUTH_PUBLIC_KEY?.replace(/\\n/g, "\n") || undefined;
  const realIssuer = Boolean(jwksUrl || publicKeyPem);
  if (realIssuer && !env.AUTH_ISSUER) throw new Error("AUTH_ISSUER is required when AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set");
  if (nodeEnv === "production" && !realIssuer) {
    throw new Error("In production a real token issuer is required: set AUTH_ISSUER and AUTH_JWKS_URL (or AUTH_PUBLIC_KEY)");
  }
  return {
    env: nodeEnv,
    port: int(env.PORT, 4000, "PORT"),
    host: env.HOST || "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || path.join(projectRoot, ".data")),
    dataDirExplicit: Boolean(env.DATA_DIR),
    embeddedPort: int(env.EMBEDDED_PG_PORT, 54329, "EMBEDDED_PG_PORT"),
    auth: {
      issuer: env.AUTH_ISSUER || "carm-portal-api-dev",
      audience: env.AUTH_AUDIENCE || "carm-portal-api",
      jwksUrl,
      publicKeyPem,
      publicKeyAlg: env.AUTH_PUBLIC_KEY_ALG || "RS256",
      // On only without a real issuer, outside production, and unless DEV_ISSUER=off (for a shared
      // staging server that must not hand out demo tokens).
      devIssuer: !realIssuer && nodeEnv !== "production" && env.DEV_ISSUER !== "off",
    },
    seedDemo: bool(env.SEED_DEMO, nodeEnv !== "production"),
    exposeSqlCount: nodeEnv !== "production" && bool(env.EXPOSE_SQL_COUNT, false),
    logLevel: (env.LOG_LEVEL as Config["logLevel"]) || (nodeEnv === "test" ? "warn" : "info"),
    maxQueryDepth: int(env.MAX_QUERY_DEPTH, 12, "MAX_QUERY_DEPTH"),
  };
}

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

// --- Jobs and email (src/jobs, src/email) ---
export interface JobsConfig {
  /** Run the job worker in this process (JOBS=off: this process serves the API only). */
  enabled: boolean;
  /** The PostgreSQL schema pg-boss creates and keeps its tables in. */
  schema: string;
}

export interface EmailConfig {
  /** SMTP server; unset: emails stay queued in the outbox (readable through `viewer { emails }`). */
  smtpUrl?: string;
  from: string;
  maxAttempts: number;
  pollSeconds: number;
}
// --- end of jobs and email ---

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
  jobs: JobsConfig;
  email: EmailConfig;
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

// --- Jobs and email ---
function onOff(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === "") return fallback;
  const v = value.toLowerCase();
  if (["on", "1", "true", "yes"].includes(v)) return true;
  if (["off", "0", "false", "no"].includes(v)) return false;
  throw new Error(`${name} must be "on" or "off", got "${value}"`);
}

function jobsAndEmail(env: NodeJS.ProcessEnv): { jobs: JobsConfig; email: EmailConfig } {
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl) {
    let protocol: string;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      throw new Error("SMTP_URL must be a URL such as smtp://user:pass@mail.example:587");
    }
    if (protocol !== "smtp:" && protocol !== "smtps:") throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${protocol}//"`);
  }
  const schema = env.JOBS_SCHEMA || "pgboss";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`JOBS_SCHEMA must be a plain lower-case identifier, got "${schema}"`);
  const maxAttempts = int(env.EMAIL_MAX_ATTEMPTS, 10, "EMAIL_MAX_ATTEMPTS");
  const pollSeconds = int(env.EMAIL_POLL_SECONDS, 5, "EMAIL_POLL_SECONDS");
  if (maxAttempts < 1) throw new Error("EMAIL_MAX_ATTEMPTS must be at least 1");
  if (pollSeconds < 1) throw new Error("EMAIL_POLL_SECONDS must be at least 1");
  return {
    jobs: { enabled: onOff(env.JOBS, true, "JOBS"), schema },
    email: { smtpUrl, from: env.MAIL_FROM || "CARM Client Portal <no-reply@carm-portal.invalid>", maxAttempts, pollSeconds },
  };
}
// --- end of jobs and email ---

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
    ...jobsAndEmail(env),
  };
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { trustable, type TrustProxyConfig } from "./limits/client-address.js";

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
  /** `/dev/personas` answers clients other than loopback ones (DEV_ISSUER_REMOTE=on). */
  devIssuerRemote: boolean;
  /** How long a verified token is remembered, to skip checking its signature again (0: never). */
  verifiedCacheSeconds: number;
  /** Longest accepted token lifetime (`exp` minus `iat`, or minus now without `iat`), in seconds. */
  maxTokenLifetimeSeconds: number;
  /**
   * Sign-in in the browser pages (dashboard, GraphiQL) through the issuer as an OpenID Connect
   * provider (authorization code + PKCE): on when AUTH_CLIENT_ID names the pages' public client.
   */
  browser?: BrowserSignIn;
}

/** What the pages need to sign people in at the issuer (served at /auth/config). */
export interface BrowserSignIn {
  /** The issuer's URL (AUTH_ISSUER): its discovery document is at /.well-known/openid-configuration. */
  issuer: string;
  /** The public client registered for the pages, with redirect URIs <origin>/dashboard/ and <origin>/graphiql/. */
  clientId: string;
  /** Scopes asked for: `openid`, and `offline_access` for a refresh token where the provider wants it asked. */
  scope: string;
  /** RFC 8707 resource indicator sent with the requests, for providers that issue access tokens per API (AUTH_RESOURCE). */
  resource?: string;
}

/** The HTTP server's timeouts and connection cap (src/server.ts), in milliseconds. */
export interface HttpConfig {
  /** A request's headers must arrive within this (Node's headersTimeout). */
  headersTimeoutMs: number;
  /** Its body within this, counted from its start: else 408 and the connection is closed. */
  bodyTimeoutMs: number;
  /** The whole request (Node's requestTimeout): a backstop behind the two above. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all (no request under way) is closed after this. */
  idleSocketTimeoutMs: number;
  /** Open connections (WebSockets included) at most; more are refused. */
  maxConnections: number;
}

/** Bounds on waiting for PostgreSQL (src/db/data-source.ts). */
export interface DatabaseTimeouts {
  /** A statement running longer is cancelled (PostgreSQL's statement_timeout) or, when the server does not answer, given up (ms). */
  statementTimeoutMs: number;
  /** Waiting for a pool connection, or for a new connection to be made, at most this (ms). */
  connectTimeoutMs: number;
}

/** What one GraphQL operation may ask for; refused before it runs (see src/limits/). */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Estimated cost: every field 1, a list field times its page size (`first`/`last`, default 20). */
  maxCost: number;
}

/** Jobs (src/jobs): scheduled and queued work run by pg-boss in PostgreSQL. */
export interface JobsConfig {
  /** Run the job worker in this process (JOBS=off: this process serves the API only). */
  enabled: boolean;
  /** The PostgreSQL schema pg-boss creates and keeps its tables in. */
  schema: string;
}

/** Email (src/email): the outbox and its delivery. */
export interface EmailConfig {
  /** SMTP server; unset: emails stay queued in the outbox (readable through `viewer { emails }`). */
  smtpUrl?: string;
  from: string;
  maxAttempts: number;
  pollSeconds: number;
}

/**
 * Live subscriptions (src/http/websocket.ts, src/events/live.ts): what one socket, one person and
 * this process may hold, so that nobody can make the process keep (and serve) without bound.
 */
export interface SubscriptionLimits {
  perSocket: number;
  perPerson: number;
  perProcess: number;
  /** Open WebSocket connections (signed in) of one person in this process. */
  connectionsPerPerson: number;
  /** Bytes a socket may hold unsent before its subscriptions get a resync instead of more data. */
  maxBufferedBytes: number;
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
  /** Compiled execution of operations (src/http/executor.ts); off: graphql-js executes every request. */
  jit: { enabled: boolean; compileAfter: number; maxOperations: number };
  /** Query operations planned into one SQL statement each (src/planner); off: every request takes the general path. */
  compiled: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  limits: OperationLimits;
  /** GraphQL requests executed at once by this process; more answer 503 with Retry-After. */
  maxConcurrentRequests: number;
  /** Requests one client (person, or address when anonymous) may have executing or waiting; more answer 429. */
  maxConcurrentPerClient: number;
  /** Largest GraphQL response, in bytes; a larger one is refused (400 RESPONSE_TOO_LARGE). */
  maxResponseBytes: number;
  /** Repeated refusals to one client answered more and more slowly (src/limits/refusal-pacing.ts); maxMs 0: off. */
  refusalPacing: { stepMs: number; maxMs: number; windowMs: number };
  /** Each client's budget of cost points over time (src/limits/cost-budget.ts); null: off. */
  costBudget: { max: number; refillPerSecond: number } | null;
  /** Reverse proxies believed about the client address they relay (src/limits/client-address.ts). */
  trustProxy: TrustProxyConfig;
  http: HttpConfig;
  db: DatabaseTimeouts;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Schema introspection (off in production unless INTROSPECTION=on). */
  introspection: boolean;
  /** The GraphiQL page (off in production unless GRAPHIQL=on). */
  graphiql: boolean;
  /** The broker dashboard at /dashboard/ (DASHBOARD=off removes it). */
  dashboard: boolean;
  jobs: JobsConfig;
  email: EmailConfig;
  /**
   * Browser origins allowed to call the API from another origin (CORS), exactly as a browser sends
   * them (`https://portal.example:8443`); `"*"` is any origin (refused in production). Empty: CORS off.
   */
  corsOrigins: string[] | "*";
  metrics: MetricsConfig;
  /** CSV exports (src/http/exports.ts): downloads streaming at once in this process (one per person). */
  exports: { maxConcurrent: number };
  subscriptions: SubscriptionLimits;
}

/** `/metrics` (Prometheus text format). */
export interface MetricsConfig {
  enabled: boolean;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  /** Without a token in production, only clients on this machine may scrape. */
  loopbackOnly: boolean;
}

const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["1", "true", "yes", "on", "0", "false", "no", "off"].includes(v), { message: 'must be "on" or "off"' })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const count = (min = 0) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: "must be a non-negative integer" })
    .transform(Number)
    .refine((n) => n >= min, { message: `must be at least ${min}` });

/** Every variable the server reads; an empty string counts as unset. */
const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: count().refine((n) => n <= 65535, { message: "must be a port number" }).optional(),
  HOST: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: count(1).refine((n) => n <= 65535, { message: "must be a port number" }).optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_JWKS_URL: z.url({ message: "must be a URL" }).optional(),
  AUTH_PUBLIC_KEY: z.string().optional(),
  AUTH_PUBLIC_KEY_ALG: z.string().optional(),
  DEV_ISSUER: onOff.optional(),
  DEV_ISSUER_REMOTE: onOff.optional(),
  AUTH_VERIFIED_CACHE_SECONDS: count().refine((n) => n <= 3600, { message: "must be at most 3600" }).optional(),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: count(60).optional(),
  AUTH_CLIENT_ID: z.string().trim().regex(/^[\x21-\x7e]{1,200}$/, { message: "must be a client id (printable, no spaces)" }).optional(),
  AUTH_SCOPE: z.string().trim().regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, { message: "must be space-separated scopes" }).optional(),
  AUTH_RESOURCE: z.url({ message: "must be an absolute URI" }).optional(),
  SEED_DEMO: onOff.optional(),
  EXPOSE_SQL_COUNT: onOff.optional(),
  GRAPHQL_JIT: onOff.optional(),
  GRAPHQL_COMPILED: onOff.optional(),
  GRAPHQL_JIT_AFTER: count().optional(),
  GRAPHQL_JIT_MAX_OPERATIONS: count(1).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).optional(),
  MAX_QUERY_DEPTH: count(1).optional(),
  MAX_QUERY_ALIASES: count().optional(),
  MAX_QUERY_DIRECTIVES: count().optional(),
  MAX_QUERY_TOKENS: count(1).optional(),
  MAX_QUERY_COST: count(1).optional(),
  MAX_CONCURRENT_REQUESTS: count(1).optional(),
  MAX_CONCURRENT_PER_CLIENT: count(1).optional(),
  MAX_RESPONSE_BYTES: count(64 * 1024).optional(),
  COST_BUDGET_MAX: count().optional(),
  COST_BUDGET_REFILL_PER_SECOND: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: "must be a positive number (points per second)" })
    .transform(Number)
    .refine((n) => n > 0, { message: "must be a positive number (points per second)" })
    .optional(),
  // Off, a number of hops, or the proxies' addresses and ranges (src/limits/client-address.ts).
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((v): TrustProxyConfig | null => {
      if (v === "" || v === "off") return { trusted: [] };
      if (/^\d+$/.test(v)) return Number(v) >= 1 && Number(v) <= 10 ? { hops: Number(v) } : null;
      const list = v.split(",").map((a) => a.trim()).filter(Boolean);
      return list.every(trustable) ? { trusted: list } : null;
    })
    .refine((v) => v !== null, {
      message: "must be off, a number of proxy hops (1-10), or proxy addresses and CIDR ranges separated by commas (10.0.0.5, 10.0.0.0/8, ::1, loopback, uniquelocal)",
    })
    .optional(),
  REFUSAL_PACING_MAX_MS: count().refine((n) => n <= 10_000, { message: "must be at most 10000" }).optional(),
  MAX_CONNECTIONS: count(1).optional(),
  HEADERS_TIMEOUT_SECONDS: count(1).optional(),
  BODY_TIMEOUT_SECONDS: count(1).optional(),
  REQUEST_TIMEOUT_SECONDS: count(1).optional(),
  KEEP_ALIVE_TIMEOUT_SECONDS: count(1).optional(),
  IDLE_SOCKET_TIMEOUT_SECONDS: count(1).optional(),
  DB_STATEMENT_TIMEOUT_MS: count(100).optional(),
  DB_CONNECT_TIMEOUT_MS: count(100).optional(),
  MAX_BODY_BYTES: count(1024).optional(),
  INTROSPECTION: onOff.optional(),
  GRAPHIQL: onOff.optional(),
  DASHBOARD: onOff.optional(),
  JOBS: onOff.optional(),
  JOBS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: "must be a plain lower-case identifier" }).optional(),
  SMTP_URL: z
    .string()
    .refine((v) => URL.canParse(v), { message: "must be a URL such as smtp://user:pass@mail.example:587" })
    .refine((v) => !URL.canParse(v) || ["smtp:", "smtps:"].includes(new URL(v).protocol), { message: "must start with smtp:// or smtps://" })
    .optional(),
  MAIL_FROM: z.string().optional(),
  EMAIL_MAX_ATTEMPTS: count(1).optional(),
  EMAIL_POLL_SECONDS: count(1).optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every((o) => o === "*" || isOrigin(o)), {
      message: 'must be "*" or comma-separated origins such as https://portal.example or http://localhost:5173 (scheme, host and port only, no path)',
    })
    .optional(),
  METRICS: onOff.optional(),
  METRICS_TOKEN: z.string().trim().min(16, { message: "must be at least 16 characters" }).optional(),
  EXPORT_MAX_CONCURRENT: count(1).optional(),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: count(1).optional(),
  WS_MAX_SUBSCRIPTIONS_PER_PERSON: count(1).optional(),
  WS_MAX_SUBSCRIPTIONS: count(1).optional(),
  WS_MAX_CONNECTIONS_PER_PERSON: count(1).optional(),
  WS_MAX_BUFFERED_BYTES: count(1024).optional(),
});

/** An origin as browsers send it in the Origin header: http(s), a host, an optional port, nothing else. */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const u = new URL(value);
  return (u.protocol === "http:" || u.protocol === "https:") && u.origin === value;
}

/**
 * A client's cost budget, by default: a full bucket of 50,000 points refilled at 5,000 a second. The
 * broker dashboard's largest page (25 clients of 10 accounts, each with its statement) costs 6,707:
 * paged every 1.4 s it never runs out, paged every second it holds out about half a minute; the
 * heaviest operation allowed (MAX_QUERY_COST) fits five times. Measured against the floods of
 * `npm run bench:abuse` (docs/operators.md, Limits and faults): a bucket three times this size let one person's
 * burst of heavy pages run long enough to slow everyone else 2.8x.
 */
export const DEFAULT_COST_BUDGET = { max: 50_000, refillPerSecond: 5_000 };

const SECRET_VARIABLES = new Set(["DATABASE_URL", "SMTP_URL", "AUTH_PUBLIC_KEY", "METRICS_TOKEN"]);

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  perSocket: 25,
  perPerson: 200,
  perProcess: 20_000,
  connectionsPerPerson: 20,
  maxBufferedBytes: 1024 * 1024,
};

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 15, maxDirectives: 20, maxTokens: 5000, maxCost: 10_000 };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    // Values that may hold a password are not repeated in the message (it ends up in logs).
    const shown = (name: string) => (SECRET_VARIABLES.has(name) ? "" : `, got "${present[name]}"`);
    throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}${shown(String(i.path[0]))}`).join("; "));
  }
  const e = parsed.data;
  const nodeEnv = e.NODE_ENV === "production" ? "production" : e.NODE_ENV === "test" ? "test" : "development";
  const production = nodeEnv === "production";
  const jwksUrl = e.AUTH_JWKS_URL;
  const publicKeyPem = e.AUTH_PUBLIC_KEY?.replace(/\\n/g, "\n");
  const realIssuer = Boolean(jwksUrl || publicKeyPem);
  if (realIssuer && !e.AUTH_ISSUER) throw new Error("AUTH_ISSUER is required when AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set");
  if (e.AUTH_CLIENT_ID && !realIssuer) throw new Error("AUTH_CLIENT_ID needs a real issuer: set AUTH_ISSUER and AUTH_JWKS_URL (or AUTH_PUBLIC_KEY)");
  if (e.AUTH_CLIENT_ID && !/^https?:\/\/[^/]/.test(e.AUTH_ISSUER ?? "")) {
    throw new Error(`AUTH_CLIENT_ID needs AUTH_ISSUER to be the provider's URL (its discovery document is under it), got "${e.AUTH_ISSUER}"`);
  }
  if (e.AUTH_CLIENT_ID && production && new URL(e.AUTH_ISSUER!).protocol !== "https:") throw new Error("In production AUTH_ISSUER must be an https URL for browser sign-in");
  if (production && !realIssuer) {
    throw new Error("In production a real token issuer is required: set AUTH_ISSUER and AUTH_JWKS_URL (or AUTH_PUBLIC_KEY)");
  }
  const corsOrigins = e.CORS_ORIGINS ?? [];
  if (corsOrigins.includes("*") && corsOrigins.length > 1) throw new Error('CORS_ORIGINS is either "*" or a list of origins, not both');
  // Any origin is harmless to data (tokens are never sent by a browser on its own), but a production
  // API names the front ends that use it: a page elsewhere then cannot call it from a victim's browser.
  if (production && corsOrigins.includes("*")) throw new Error('CORS_ORIGINS="*" is refused in production: list the front-end origins');
  const maxCost = e.MAX_QUERY_COST ?? DEFAULT_LIMITS.maxCost;
  // Off in the tests unless asked for (they send requests back to back on purpose); 0: off.
  const budgetMax = e.COST_BUDGET_MAX ?? (nodeEnv === "test" ? 0 : DEFAULT_COST_BUDGET.max);
  if (budgetMax > 0 && budgetMax < maxCost) {
    throw new Error(`COST_BUDGET_MAX (${budgetMax}) must be at least MAX_QUERY_COST (${maxCost}): the largest operation allowed must fit in a full budget`);
  }
  return {
    env: nodeEnv,
    port: e.PORT ?? 4000,
    host: e.HOST ?? "0.0.0.0",
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR ?? path.join(projectRoot, ".data")),
    dataDirExplicit: Boolean(e.DATA_DIR),
    embeddedPort: e.EMBEDDED_PG_PORT ?? 54329,
    auth: {
      issuer: e.AUTH_ISSUER ?? "carm-portal-api-dev",
      audience: e.AUTH_AUDIENCE ?? "carm-portal-api",
      jwksUrl,
      publicKeyPem,
      publicKeyAlg: e.AUTH_PUBLIC_KEY_ALG ?? "RS256",
      // On only without a real issuer, outside production, and unless DEV_ISSUER=off (for a shared
      // staging server that must not hand out demo tokens).
      devIssuer: !realIssuer && !production && e.DEV_ISSUER !== false,
      devIssuerRemote: e.DEV_ISSUER_REMOTE ?? false,
      verifiedCacheSeconds: e.AUTH_VERIFIED_CACHE_SECONDS ?? 60,
      maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME_SECONDS ?? 24 * 3600,
      browser: e.AUTH_CLIENT_ID
        ? { issuer: e.AUTH_ISSUER!, clientId: e.AUTH_CLIENT_ID, scope: e.AUTH_SCOPE ?? "openid offline_access", resource: e.AUTH_RESOURCE }
        : undefined,
    },
    seedDemo: e.SEED_DEMO ?? !production,
    exposeSqlCount: !production && (e.EXPOSE_SQL_COUNT ?? false),
    // The tests compile every operation when first seen, so that the whole suite runs compiled.
    jit: { enabled: e.GRAPHQL_JIT ?? true, compileAfter: e.GRAPHQL_JIT_AFTER ?? (nodeEnv === "test" ? 0 : 1), maxOperations: e.GRAPHQL_JIT_MAX_OPERATIONS ?? 500 },
    compiled: e.GRAPHQL_COMPILED ?? true,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === "test" ? "warn" : "info"),
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH ?? DEFAULT_LIMITS.maxDepth,
      maxAliases: e.MAX_QUERY_ALIASES ?? DEFAULT_LIMITS.maxAliases,
      maxDirectives: e.MAX_QUERY_DIRECTIVES ?? DEFAULT_LIMITS.maxDirectives,
      maxTokens: e.MAX_QUERY_TOKENS ?? DEFAULT_LIMITS.maxTokens,
      maxCost,
    },
    maxConcurrentRequests: e.MAX_CONCURRENT_REQUESTS ?? 8,
    maxConcurrentPerClient: e.MAX_CONCURRENT_PER_CLIENT ?? 4,
    maxResponseBytes: e.MAX_RESPONSE_BYTES ?? 4 * 1024 * 1024,
    // Off in the tests unless asked for: they send refused requests back to back on purpose.
    refusalPacing: { stepMs: 25, maxMs: e.REFUSAL_PACING_MAX_MS ?? (nodeEnv === "test" ? 0 : 500), windowMs: 5000 },
    costBudget: budgetMax > 0 ? { max: budgetMax, refillPerSecond: e.COST_BUDGET_REFILL_PER_SECOND ?? DEFAULT_COST_BUDGET.refillPerSecond } : null,
    trustProxy: e.TRUST_PROXY ?? { trusted: [] },
    http: {
      headersTimeoutMs: (e.HEADERS_TIMEOUT_SECONDS ?? 10) * 1000,
      bodyTimeoutMs: (e.BODY_TIMEOUT_SECONDS ?? 10) * 1000,
      requestTimeoutMs: (e.REQUEST_TIMEOUT_SECONDS ?? 30) * 1000,
      keepAliveTimeoutMs: (e.KEEP_ALIVE_TIMEOUT_SECONDS ?? 5) * 1000,
      idleSocketTimeoutMs: (e.IDLE_SOCKET_TIMEOUT_SECONDS ?? 120) * 1000,
      maxConnections: e.MAX_CONNECTIONS ?? 2000,
    },
    db: { statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS ?? 5000, connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS ?? 3000 },
    maxBodyBytes: e.MAX_BODY_BYTES ?? 1024 * 1024,
    // A production schema is not advertised unless asked for; the page that needs it neither.
    introspection: e.INTROSPECTION ?? !production,
    graphiql: e.GRAPHIQL ?? !production,
    // A static page that signs in with a pasted token once there is no development issuer: harmless in production.
    dashboard: e.DASHBOARD ?? true,
    jobs: { enabled: e.JOBS ?? true, schema: e.JOBS_SCHEMA ?? "pgboss" },
    email: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM ?? "CARM Client Portal <no-reply@carm-portal.invalid>",
      maxAttempts: e.EMAIL_MAX_ATTEMPTS ?? 10,
      pollSeconds: e.EMAIL_POLL_SECONDS ?? 5,
    },
    corsOrigins: corsOrigins.includes("*") ? "*" : corsOrigins,
    metrics: { enabled: e.METRICS ?? true, token: e.METRICS_TOKEN, loopbackOnly: production && !e.METRICS_TOKEN },
    exports: { maxConcurrent: e.EXPORT_MAX_CONCURRENT ?? 2 },
    subscriptions: {
      perSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET ?? DEFAULT_SUBSCRIPTION_LIMITS.perSocket,
      perPerson: e.WS_MAX_SUBSCRIPTIONS_PER_PERSON ?? DEFAULT_SUBSCRIPTION_LIMITS.perPerson,
      perProcess: e.WS_MAX_SUBSCRIPTIONS ?? DEFAULT_SUBSCRIPTION_LIMITS.perProcess,
      connectionsPerPerson: e.WS_MAX_CONNECTIONS_PER_PERSON ?? DEFAULT_SUBSCRIPTION_LIMITS.connectionsPerPerson,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES ?? DEFAULT_SUBSCRIPTION_LIMITS.maxBufferedBytes,
    },
  };
}

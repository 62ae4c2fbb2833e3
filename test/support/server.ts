/**
 * A real API server for one test file: its own database cloned from the seeded template, the real
 * HTTP + WebSocket stack on a free port, and a client that signs in as the demo personas.
 */
import crypto from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type DocumentNode } from "graphql";
import pg from "pg";
import type { DataSource } from "typeorm";
import { inject } from "vitest";
import type { AccessLoader } from "../../src/auth/access-loader.js";
import { loadDevIssuer } from "../../src/auth/identity.js";
import { personaSubject } from "../../src/auth/personas.js";
import { loadConfig } from "../../src/config.js";
import { createDataSource } from "../../src/db/data-source.js";
import { withDatabase } from "../../src/db/database.js";
import { CountingOrmLogger } from "../../src/db/sql-counter.js";
import { startEventBus, type EventBus, type EventBusOptions } from "../../src/events/bus.js";
import type { LiveHub } from "../../src/events/live.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { startServer } from "../../src/server.js";

export type Persona = "alice" | "bob" | "carol" | "dave" | "erin" | "frank" | "gina" | "ivan" | "harry" | "olga";

export interface GqlResult<R> {
  status: number;
  data: R | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestServer {
  url: string;
  wsUrl: string;
  db: DataSource;
  /** The database's name and URL (another server may share it: `startTestServer({}, { sameDatabaseAs })`). */
  dbName: string;
  dbUrl: string;
  /** This server's own event bus (its LISTEN connection). */
  events: EventBus;
  /** Its subscribers, their groups and what it did for them (src/events/live.ts). */
  hub: LiveHub;
  /** SQL statements this server has sent through its pool so far (every statement, whatever sent it). */
  sqlStatements(): number;
  logger: Logger;
  token(persona: Persona): Promise<string>;
  gql<R = Record<string, any>, V = Record<string, unknown>>(
    query: TypedDocumentNode<R, V> | DocumentNode | string,
    opts?: { as?: Persona; token?: string; variables?: V },
  ): Promise<GqlResult<R>>;
  stop(): Promise<void>;
}

/**
 * `env` overrides configuration, e.g. a real token issuer instead of the development one.
 * `sameDatabaseAs` starts a second API process's worth (its own pool, bus and server) on the
 * database of a running test server, as two API processes share one database in production.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  /** `accessLoader`: the server's clock and book strategy (support/access.ts), when the test brings its own. */
  opts: { sameDatabaseAs?: TestServer; logger?: Logger; accessLoader?: AccessLoader; bus?: EventBusOptions } = {},
): Promise<TestServer> {
  const adminUrl = inject("adminUrl");
  const templateDb = inject("templateDb");
  const dataDir = inject("dataDir");
  const shared = opts.sameDatabaseAs;
  const dbName = shared?.dbName ?? `carm_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Cloning refuses while another clone reads the template at the same instant: retry briefly.
  for (let attempt = 0; !shared; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${dbName}" TEMPLATE "${templateDb}"`);
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = withDatabase(adminUrl, dbName);
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    EXPOSE_SQL_COUNT: "1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    ...env,
  });
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = createDataSource(url, logger);
  await db.initialize();
  const events = await startEventBus(url, logger, opts.bus);
  const server = await startServer(config, db, logger, events, { accessLoader: opts.accessLoader });
  const issuer = await loadDevIssuer(dataDir, config.auth);
  const tokens = new Map<string, string>();
  const token = async (p: Persona) => {
    if (!tokens.has(p)) tokens.set(p, await issuer.sign(personaSubject(p)));
    return tokens.get(p)!;
  };

  return {
    url: server.url,
    wsUrl: server.url.replace(/^http/, "ws") + "/graphql",
    db,
    dbName,
    dbUrl: url,
    events,
    hub: server.hub,
    sqlStatements: () => (db.logger as CountingOrmLogger).statements,
    logger,
    token,
    async gql(query, opts = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const bearer = opts.token ?? (opts.as ? await token(opts.as) : undefined);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      const res = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: typeof query === "string" ? query : print(query), variables: opts.variables ?? {} }),
      });
      const body = (await res.json()) as Omit<GqlResult<never>, "status">;
      return { status: res.status, ...body } as never;
    },
    async stop() {
      await server.stop();
      await events.close();
      await db.destroy();
      // The database belongs to the server that created it (dropping it forcibly ends the other's connections).
      if (!shared) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

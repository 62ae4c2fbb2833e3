import "reflect-metadata";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, type GraphQLFormattedError, type ValidationRule, Kind, type ASTNode } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { DataSource } from "typeorm";
import { createTokenVerifier, loadDevIssuer, type TokenVerifier } from "./auth/identity.js";
import { personas, personaSubject } from "./auth/personas.js";
import { loadScope } from "./auth/scope.js";
import { projectRoot, type Config } from "./config.js";
import type { Context } from "./context.js";
import { sqlCounter } from "./db/sql-counter.js";
import { Loaders } from "./loaders.js";
import type { Logger } from "./logger.js";
import { User } from "./modules/user/user.entity.js";
import { buildAppSchema } from "./schema.js";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/** Rejects queries nested deeper than `max` (a cheap guard against pathological queries). */
function depthLimit(max: number): ValidationRule {
  return (context) => {
    const depthOf = (node: ASTNode, depth: number): void => {
      if (depth > max) {
        context.reportError(new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${max}.`, { nodes: [node], extensions: { code: "BAD_USER_INPUT" } }));
        throw new Error("depth exceeded");
      }
      if ("selectionSet" in node && node.selectionSet) {
        for (const sel of node.selectionSet.selections) {
          if (sel.kind === Kind.FIELD) depthOf(sel, depth + 1);
          else if (sel.kind === Kind.INLINE_FRAGMENT) depthOf(sel, depth);
        }
      }
    };
    return {
      OperationDefinition(node) {
        try {
          depthOf(node, 0);
        } catch {
          /* reported */
        }
      },
    };
  };
}

const unauthenticatedHttp = (message: string) =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

async function viewerFor(authorization: string | undefined, verifier: TokenVerifier, db: DataSource): Promise<User | null> {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthenticatedHttp('The Authorization header must be "Bearer <token>".');
  let subject: string;
  try {
    ({ subject } = await verifier.verify(m[1]!));
  } catch (err) {
    throw unauthenticatedHttp(err instanceof Error ? err.message : "The bearer token is not valid.");
  }
  const user = await db.getRepository(User).findOneBy({ subject });
  if (!user) throw unauthenticatedHttp("This sign-in is not linked to a portal profile.");
  return user;
}

export async function buildContext(db: DataSource, logger: Logger, viewer: User | null, requestId: string): Promise<Context> {
  return {
    requestId,
    logger: logger.child({ requestId }),
    db,
    viewer,
    scope: await loadScope(db, viewer),
    loaders: new Loaders(db),
    decisions: new Map(),
  };
}

/** Starts the HTTP + WebSocket server on `config.port` (0 picks a free one). */
export async function startServer(config: Config, db: DataSource, logger: Logger): Promise<RunningServer> {
  const { schema } = await buildAppSchema();
  const verifier = await createTokenVerifier(config.auth, config.dataDir);
  const production = config.env === "production";

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const wsCleanup = useServer<{ authorization?: string }, { user?: User | null }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.user = await viewerFor(ctx.connectionParams?.authorization, verifier, db);
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      context: async (ctx) => buildContext(db, logger, (ctx.extra.user ?? null) as User | null, crypto.randomUUID()),
    },
    wsServer,
  );

  const loggingPlugin: ApolloServerPlugin<Context> = {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, response, errors }) {
          const store = sqlCounter.getStore();
          if (config.exposeSqlCount && store && response.body.kind === "single") {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: store.count };
          }
          contextValue?.logger?.info("graphql", {
            operation: request.operationName ?? null,
            ms: Math.round(performance.now() - started),
            sql: store?.count,
            errors: errors?.map((e) => e.extensions?.code ?? "INTERNAL_SERVER_ERROR"),
          });
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const e of errors) {
            if (!e.extensions?.code || e.extensions.code === "INTERNAL_SERVER_ERROR") {
              (contextValue?.logger ?? logger).error("unexpected error", { err: e.originalError ?? e, path: e.path });
            }
          }
        },
      };
    },
  };

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: !production && config.env !== "test",
    validationRules: [depthLimit(config.maxQueryDepth)],
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), loggingPlugin],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const code = formatted.extensions?.code;
      // Errors we did not raise on purpose never reach the client with their internals.
      if (!code || code === "INTERNAL_SERVER_ERROR") {
        return {
          message: production ? "Internal server error." : formatted.message,
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: "INTERNAL_SERVER_ERROR", ...(production ? {} : { stacktrace: formatted.extensions?.stacktrace }) },
        };
      }
      void error;
      return formatted;
    },
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await db.query("SELECT 1");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });

  if (config.auth.devIssuer) {
    const dev = await loadDevIssuer(config.dataDir, config.auth);
    // Development only: tokens for the demo personas, so that GraphiQL can switch persona.
    app.get("/dev/personas", async (_req, res) => {
      const list = await Promise.all(
        personas.map(async (p) => ({ username: p.username, displayName: p.displayName, description: p.description, token: await dev.sign(personaSubject(p.username)) })),
      );
      res.json({ personas: list });
    });
  }

  const graphiqlDir = path.join(projectRoot, "dist", "graphiql");
  if (fs.existsSync(path.join(graphiqlDir, "index.html"))) {
    app.use("/graphiql", express.static(graphiqlDir, { index: "index.html", redirect: true }));
  } else {
    app.get("/graphiql", (_req, res) => {
      res.status(503).type("text").send("GraphiQL is not built: run `npm run build`.");
    });
  }
  app.get("/", (_req, res) => res.redirect("/graphiql/"));

  app.use(
    "/graphql",
    (_req, _res, next) => sqlCounter.run({ count: 0 }, next),
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const viewer = await viewerFor(req.headers.authorization, verifier, db);
        const requestId = (req.headers["x-request-id"] as string | undefined) ?? crypto.randomUUID();
        return buildContext(db, logger, viewer, requestId);
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;
  const url = `http://${host}:${port}`;
  logger.info("listening", { graphql: `${url}/graphql`, graphiql: `${url}/graphiql/` });

  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    httpServer,
    stop() {
      stopped ??= (async () => {
        await wsCleanup.dispose();
        wsServer.close();
        await apollo.stop(); // drains and closes the HTTP server
      })();
      return stopped;
    },
  };
}

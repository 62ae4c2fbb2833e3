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
import { GraphQLError, getOperationAST, Kind, parse, specifiedRules, validate, type ASTNode, type GraphQLFormattedError, type ValidationRule } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { DataSource } from "typeorm";
import { createTokenVerifier, loadDevIssuer, type TokenVerifier } from "./auth/identity.js";
import { personas, personaSubject } from "./auth/personas.js";
import { projectRoot, type Config } from "./config.js";
import { buildContext, type Context } from "./context.js";
import { sqlCounter } from "./db/sql-counter.js";
import type { EventBus } from "./events/bus.js";
import { subscribeWithContextPerEvent } from "./events/per-event-context.js";
import type { Logger } from "./logger.js";
import { User } from "./modules/user/user.entity.js";
import { buildAppSchema } from "./schema.js";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/** Rejects queries nested deeper than `max`, fragments included (a cheap guard against pathological queries). */
export function depthLimit(max: number): ValidationRule {
  return (context) => {
    const depthOf = (node: ASTNode, depth: number, fragments: Set<string>): number => {
      if (depth > max) return depth;
      let deepest = depth;
      if ("selectionSet" in node && node.selectionSet) {
        for (const sel of node.selectionSet.selections) {
          if (sel.kind === Kind.FIELD) deepest = Math.max(deepest, depthOf(sel, depth + 1, fragments));
          else if (sel.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(sel, depth, fragments));
          else if (sel.kind === Kind.FRAGMENT_SPREAD && !fragments.has(sel.name.value)) {
            const fragment = context.getFragment(sel.name.value);
            // A cycle of fragments is reported by graphql's own rules; here each is followed once per path.
            if (fragment) deepest = Math.max(deepest, depthOf(fragment, depth, new Set([...fragments, sel.name.value])));
          }
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node, 0, new Set());
        if (depth > max) {
          context.reportError(new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${max}.`, { nodes: [node], extensions: { code: "BAD_USER_INPUT" } }));
        }
      },
    };
  };
}

const unauthenticatedHttp = (message: string) =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

interface SignedIn {
  /** The portal profile; null when anonymous, or signed in but without a profile yet. */
  user: User | null;
  /** The verified token subject, when a token was sent. */
  subject: string | null;
  expiresAt: number | null;
}

/** Who is behind an Authorization header value, and when their token expires. */
async function signIn(authorization: string | undefined, verifier: TokenVerifier, db: DataSource): Promise<SignedIn> {
  if (!authorization) return { user: null, subject: null, expiresAt: null };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthenticatedHttp('The Authorization header must be "Bearer <token>".');
  let verified: { subject: string; expiresAt: number | null };
  try {
    verified = await verifier.verify(m[1]!);
  } catch (err) {
    throw unauthenticatedHttp(err instanceof Error ? err.message : "The bearer token is not valid.");
  }
  // A valid sign-in without a profile yet may only create one (createProfile).
  const user = await db.getRepository(User).findOneBy({ subject: verified.subject });
  return { user, subject: verified.subject, expiresAt: verified.expiresAt };
}


/** Starts the HTTP + WebSocket server on `config.port` (0 picks a free one); `events` feeds its subscriptions. */
export async function startServer(config: Config, db: DataSource, logger: Logger, events: EventBus): Promise<RunningServer> {
  const { schema } = await buildAppSchema(events.pubSub);
  const verifier = await createTokenVerifier(config.auth, config.dataDir);
  const production = config.env === "production";

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const validationRules = [...specifiedRules, depthLimit(config.maxQueryDepth)];
  const wsCleanup = useServer<{ authorization?: string }, { user?: User | null; subject?: string | null; expiresAt?: number | null; expiryTimer?: NodeJS.Timeout }>(
    {
      schema,
      // A new context for every event (never the socket's one, renewed in place): see events/per-event-context.ts.
      subscribe: subscribeWithContextPerEvent((sub: Context) => buildContext(db, logger, sub.viewer, sub.requestId, sub.subject, events)),
      onConnect: async (ctx) => {
        try {
          const { user, subject, expiresAt } = await signIn(ctx.connectionParams?.authorization, verifier, db);
          ctx.extra.user = user;
          ctx.extra.subject = subject;
          ctx.extra.expiresAt = expiresAt;
          // A socket lives no longer than its token: close it when the token expires (4401), so a
          // client signs in again rather than keep receiving data on an expired identity.
          if (expiresAt) {
            ctx.extra.expiryTimer = setTimeout(() => ctx.extra.socket.close(CloseCode.Unauthorized, "Token expired"), Math.max(0, expiresAt - Date.now()));
            ctx.extra.expiryTimer.unref();
          }
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onSubscribe: async (ctx, _id, payload) => {
        if (ctx.extra.expiresAt && ctx.extra.expiresAt <= Date.now()) {
          return [new GraphQLError("The bearer token has expired: sign in again.", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err as GraphQLError];
        }
        // The same validation as over HTTP, depth limit included.
        const errors = validate(schema, document, validationRules);
        if (errors.length) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation || operation.operation !== "subscription") {
          return [new GraphQLError("The WebSocket endpoint serves subscriptions; send queries and mutations over HTTP POST /graphql.", { extensions: { code: "BAD_USER_INPUT" } })];
        }
        return {
          schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: await buildContext(db, logger, (ctx.extra.user ?? null) as User | null, crypto.randomUUID(), ctx.extra.subject ?? null, events),
        };
      },
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
    // main.ts owns SIGINT/SIGTERM and stops things in order (Apollo's own handler would race it).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production && config.env !== "test",
    validationRules: [depthLimit(config.maxQueryDepth)],
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), loggingPlugin],
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => {
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
        const { user, subject } = await signIn(req.headers.authorization, verifier, db);
        const requestId = (req.headers["x-request-id"] as string | undefined) ?? crypto.randomUUID();
        return buildContext(db, logger, user, requestId, subject, events);
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

import crypto from "node:crypto";
import type http from "node:http";
import { GraphQLError, Kind, getOperationAST, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/identity.js";
import type { Config } from "../config.js";
import type { AccessLoader } from "../auth/access-loader.js";
import { buildContext, type Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import type { EventBus } from "../events/bus.js";
import { subscribeWithContextPerEvent } from "../events/per-event-context.js";
import type { Logger } from "../logger.js";
import type { User } from "../modules/user/user.entity.js";
import { webSocketOriginAllowed } from "./cors.js";
import type { Metrics } from "./metrics.js";
import { createErrorFormatter, UNAVAILABLE_MESSAGE } from "./errors.js";
import type { OperationValidator } from "./operation.js";
import { signIn } from "./sign-in.js";

type SocketState = {
  user?: User | null;
  subject?: string | null;
  expiresAt?: number | null;
  expiryTimer?: NodeJS.Timeout;
};

/** The subscription field an operation selects (a label bounded by the schema's subscription fields). */
function rootFieldOf(document: DocumentNode, operationName: string | null | undefined): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === Kind.FIELD ? selection.name.value : "unknown";
}

/** Close code for "try again later" (RFC 6455 registry). */
const TRY_AGAIN_LATER = 1013;

/**
 * Subscriptions over graphql-ws at /graphql. Every operation passes the validation HTTP applies, the
 * same code (operation.ts); errors leave formatted and masked exactly as over HTTP.
 */
export function startWebSocketServer(deps: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  config: Config;
  db: DataSource;
  logger: Logger;
  verifier: TokenVerifier;
  availability: DatabaseAvailability;
  events: EventBus;
  metrics: Metrics;
  operations: OperationValidator;
  accessLoader: AccessLoader;
}): { dispose(): Promise<void>; openSubscriptions(): number } {
  const { httpServer, schema, config, db, logger, verifier, availability, events, metrics, operations, accessLoader } = deps;
  const production = config.env === "production";
  const format = createErrorFormatter({ production, stacktraces: false });
  // `extensions.http` is for HTTP responses only; over the socket it would be noise.
  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const { http: _http, ...extensions } = e.extensions ?? {};
      return format({ ...e.toJSON(), extensions }, e);
    });
  const unavailable = () => new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: "SERVICE_UNAVAILABLE" } });

  // Every socket's graphql-ws context, for counting the subscriptions running on them (metrics).
  const sockets = new Set<{ subscriptions: Record<string, unknown> }>();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: config.maxBodyBytes,
    // Browsers do not preflight WebSockets: with CORS configured, a page of another origin is refused here (see cors.ts).
    verifyClient: (info: { req: http.IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
      webSocketOriginAllowed(config, info.req) ? done(true) : done(false, 403, "Origin not allowed (CORS_ORIGINS)"),
  });
  const cleanup = useServer<{ authorization?: string }, SocketState>(
    {
      schema,
      // A new context for every event (never the socket's one, renewed in place): see events/per-event-context.ts.
      subscribe: subscribeWithContextPerEvent((sub: Context) => buildContext(db, logger, sub.viewer, sub.requestId, sub.subject, events, accessLoader)),
      onConnect: async (ctx) => {
        sockets.add(ctx);
        try {
          const { user, subject, expiresAt } = await signIn(ctx.connectionParams?.authorization, verifier, db, accessLoader);
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
        } catch (err) {
          if (isConnectionError(err)) {
            availability.reportFailure(err);
            ctx.extra.socket.close(TRY_AGAIN_LATER, "Service unavailable: try again later");
          }
          return false; // closes with 4403 Forbidden
        }
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiryTimer);
        sockets.delete(ctx);
      },
      onSubscribe: async (ctx, _id, payload) => {
        if (ctx.extra.expiresAt && ctx.extra.expiresAt <= Date.now()) {
          return [new GraphQLError("The bearer token has expired: sign in again.", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        if (!availability.available) return [unavailable()];
        const verdict = operations.check(payload, "ws");
        if (!verdict.ok) return verdict.errors;
        const { document } = verdict;
        let contextValue;
        try {
          contextValue = await buildContext(db, logger, ctx.extra.user ?? null, crypto.randomUUID(), ctx.extra.subject ?? null, events, accessLoader);
        } catch (err) {
          if (!isConnectionError(err)) throw err;
          availability.reportFailure(err);
          return [unavailable()];
        }
        return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue };
      },
      onError: (_ctx, _id, _payload, errors) => {
        const formatted = formatAll(errors);
        for (const e of formatted) metrics.countError(e.extensions?.code);
        return formatted;
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        metrics.eventsDelivered.inc({ subscription: rootFieldOf(args.document, args.operationName) });
        if (!result.errors?.length) return;
        for (const e of result.errors) {
          if (isConnectionError(e.originalError)) availability.reportFailure(e.originalError);
          else if (!e.extensions?.code) logger.error("unexpected error in a subscription", { err: e.originalError ?? e, path: e.path });
        }
        const formatted = formatAll(result.errors);
        for (const e of formatted) metrics.countError(e.extensions?.code);
        return { ...result, errors: formatted };
      },
    },
    wsServer,
  );
  return {
    openSubscriptions: () => {
      let n = 0;
      for (const ctx of sockets) for (const running of Object.values(ctx.subscriptions)) if (running) n++;
      return n;
    },
    async dispose() {
      await cleanup.dispose();
      wsServer.close();
    },
  };
}

import crypto from "node:crypto";
import type http from "node:http";
import { GraphQLError, getOperationAST, NoSchemaIntrospectionCustomRule, specifiedRules, validate, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/identity.js";
import type { Config } from "../config.js";
import { buildContext, type Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import type { EventBus } from "../events/bus.js";
import { subscribeWithContextPerEvent } from "../events/per-event-context.js";
import type { Logger } from "../logger.js";
import { checkLimits, nulInInput, parseWithLimit } from "../limits/operation-limits.js";
import type { User } from "../modules/user/user.entity.js";
import { createErrorFormatter, UNAVAILABLE_MESSAGE } from "./errors.js";
import { signIn } from "./sign-in.js";

type SocketState = {
  user?: User | null;
  subject?: string | null;
  expiresAt?: number | null;
  expiryTimer?: NodeJS.Timeout;
};

/** Close code for "try again later" (RFC 6455 registry). */
const TRY_AGAIN_LATER = 1013;

/**
 * Subscriptions over graphql-ws at /graphql. Every operation passes what HTTP applies: the token
 * limit, graphql's validation (introspection off where HTTP has it off), the operation limits and the
 * NUL check; errors leave formatted and masked exactly as over HTTP.
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
}): { dispose(): Promise<void> } {
  const { httpServer, schema, config, db, logger, verifier, availability, events } = deps;
  const production = config.env === "production";
  const format = createErrorFormatter({ production, stacktraces: false });
  // `extensions.http` is for HTTP responses only; over the socket it would be noise.
  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((e) => {
      const { http: _http, ...extensions } = e.extensions ?? {};
      return format({ ...e.toJSON(), extensions }, e);
    });
  const rules = config.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const unavailable = () => new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: "SERVICE_UNAVAILABLE" } });

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: config.maxBodyBytes });
  const cleanup = useServer<{ authorization?: string }, SocketState>(
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
        } catch (err) {
          if (isConnectionError(err)) {
            availability.reportFailure(err);
            ctx.extra.socket.close(TRY_AGAIN_LATER, "Service unavailable: try again later");
          }
          return false; // closes with 4403 Forbidden
        }
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onSubscribe: async (ctx, _id, payload) => {
        if (ctx.extra.expiresAt && ctx.extra.expiresAt <= Date.now()) {
          return [new GraphQLError("The bearer token has expired: sign in again.", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        if (!availability.available) return [unavailable()];
        let document;
        try {
          document = parseWithLimit(payload.query, config.limits);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError("The operation could not be parsed.", { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation || operation.operation !== "subscription") {
          return [new GraphQLError("The WebSocket endpoint serves subscriptions; send queries and mutations over HTTP POST /graphql.", { extensions: { code: "BAD_USER_INPUT" } })];
        }
        const refusal =
          nulInInput(document, payload.variables) ??
          checkLimits(schema, config.limits, { document, variables: payload.variables, operationName: payload.operationName });
        if (refusal) return [refusal];
        let contextValue;
        try {
          contextValue = await buildContext(db, logger, ctx.extra.user ?? null, crypto.randomUUID(), ctx.extra.subject ?? null, events);
        } catch (err) {
          if (!isConnectionError(err)) throw err;
          availability.reportFailure(err);
          return [unavailable()];
        }
        return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue };
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        for (const e of result.errors) {
          if (isConnectionError(e.originalError)) availability.reportFailure(e.originalError);
          else if (!e.extensions?.code) logger.error("unexpected error in a subscription", { err: e.originalError ?? e, path: e.path });
        }
        return { ...result, errors: formatAll(result.errors) };
      },
    },
    wsServer,
  );
  return {
    async dispose() {
      await cleanup.dispose();
      wsServer.close();
    },
  };
}

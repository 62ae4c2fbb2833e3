import crypto from "node:crypto";
import type http from "node:http";
import { GraphQLError, Kind, getOperationAST, print, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/identity.js";
import type { Config } from "../config.js";
import type { AccessLoader } from "../auth/access-loader.js";
import { buildContext, type Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import type { EventBus } from "../events/bus.js";
import { DEFAULT_LIVE_LIMITS, LiveHub, type Runner, type SubscriptionContext, type Transport } from "../events/live.js";
import type { Logger } from "../logger.js";
import type { User } from "../modules/user/user.entity.js";
import { webSocketOriginAllowed } from "./cors.js";
import type { Metrics } from "./metrics.js";
import { createErrorFormatter, UNAVAILABLE_MESSAGE } from "./errors.js";
import type { OperationValidator } from "./operation.js";
import { jitRunner } from "./executor.js";
import { overCap, responseTooLarge } from "./response-cap.js";
import { signIn } from "./sign-in.js";
import { SubscriptionAccounting, type SocketAccount } from "./subscription-limits.js";

type SocketState = SocketAccount & {
  user?: User | null;
  subject?: string | null;
  expiresAt?: number | null;
  expiryTimer?: NodeJS.Timeout;
  /** The context every subscription of this socket keeps (one object per socket: see events/live.ts). */
  live?: SubscriptionContext & { socket: WebSocket };
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
  /** The cost budget's hook (http/cost.ts): an error when the client cannot pay for the subscription's start. */
  chargeSubscription: (subject: string | null, request: http.IncomingMessage, cost: number) => GraphQLError | null;
}): { dispose(): Promise<void>; hub: LiveHub } {
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

  // What each socket, person and this process hold, against config.subscriptions.
  const accounting = new SubscriptionAccounting(config.subscriptions);
  // An event is rendered once per group of subscribers and serialized once, here: errors formatted,
  // logged and counted as over HTTP, deliveries counted by subscription field.
  const transport: Transport = {
    serialize(result, { document, operationName }, subscribers) {
      const field = rootFieldOf(document, operationName);
      metrics.eventsDelivered.inc({ subscription: field }, subscribers);
      let json: string;
      if (!result.errors?.length) json = JSON.stringify(result);
      else {
        for (const e of result.errors) {
          if (isConnectionError(e.originalError)) availability.reportFailure(e.originalError);
          else if (!e.extensions?.code) logger.error("unexpected error in a subscription", { err: e.originalError ?? e, path: e.path });
        }
        const formatted = formatAll(result.errors);
        for (const e of formatted) for (let i = 0; i < subscribers; i++) metrics.countError(e.extensions?.code);
        json = JSON.stringify({ ...result, errors: formatted });
      }
      // HTTP's response cap, for an event: checked once per group (its one rendering), and what would
      // exceed it is replaced, for every subscriber of the group, by the error HTTP answers.
      const size = overCap(json, config.maxResponseBytes);
      if (size === null) return json;
      logger.warn("a subscription's event was over the response cap", { subscription: field, bytes: size, subscribers });
      for (let i = 0; i < subscribers; i++) metrics.countError("RESPONSE_TOO_LARGE");
      return JSON.stringify({ data: null, errors: [responseTooLarge(`This event would be ${size} bytes`, config.maxResponseBytes, "subscribe to fewer items or fields")] });
    },
  };
  // A group runs its operation at every event: compiled once per document, as HTTP compiles its
  // operations (http/executor.ts), unless GRAPHQL_JIT=off; what graphql-jit cannot compile runs on graphql-js.
  const compiled = new Map<string, Runner | null>();
  transport.prepare = ({ schema: s, document, operationName }) => {
    if (!config.jit.enabled) return null;
    const key = `${print(document)}\u0000${operationName ?? ""}`;
    let runner = compiled.get(key);
    if (runner === undefined) {
      runner = jitRunner(s, document, operationName);
      compiled.set(key, runner);
      if (compiled.size > config.jit.maxOperations) compiled.delete(compiled.keys().next().value!);
    }
    return runner;
  };
  const hub = new LiveHub(db, logger, events, { ...DEFAULT_LIVE_LIMITS, maxBufferedBytes: config.subscriptions.maxBufferedBytes }, transport, accessLoader);
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
      // Subscribing is authorized with a full context made for it alone; from then on the subscription
      // is one of its group's in the live hub, which decides and renders each event once per group.
      subscribe: async (args) => {
        const sub = args.contextValue as NonNullable<SocketState["live"]> & { id: string };
        let context: Context;
        try {
          context = await buildContext(db, logger, sub.viewer, crypto.randomUUID(), sub.subject, events, accessLoader);
        } catch (err) {
          if (!isConnectionError(err)) throw err;
          availability.reportFailure(err);
          return { errors: [unavailable()] };
        }
        return hub.subscribe(args, context, sub.socket, sub.id);
      },
      onConnect: async (ctx) => {
        try {
          const { user, subject, expiresAt } = await signIn(ctx.connectionParams?.authorization, verifier, db, accessLoader);
          const refused = accounting.connect(ctx.extra, user?.id ?? subject ?? null);
          if (refused) {
            ctx.extra.socket.close(refused.code, refused.reason);
            return false;
          }
          ctx.extra.user = user;
          ctx.extra.subject = subject;
          ctx.extra.expiresAt = expiresAt;
          ctx.extra.live = { viewer: user, subject, socket: ctx.extra.socket };
          // The upgrade request (headers and all) was needed to admit the socket only: graphql-ws would keep it as long as the socket lives.
          delete (ctx.extra as { request?: unknown }).request;
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
        accounting.disconnect(ctx.extra);
      },
      onComplete: (ctx, id) => {
        accounting.release(ctx.extra, id);
      },
      onSubscribe: async (ctx, id, payload) => {
        if (ctx.extra.expiresAt && ctx.extra.expiresAt <= Date.now()) {
          return [new GraphQLError("The bearer token has expired: sign in again.", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        if (!availability.available) return [unavailable()];
        // A client at its limit is refused before anything is parsed (and counted, below, once it is valid).
        const overLimit = accounting.check(ctx.extra);
        if (overLimit) return [overLimit];
        const verdict = operations.check(payload, "ws");
        if (!verdict.ok) return verdict.errors;
        // Its start is paid from the client's cost budget (http/cost.ts), before it is counted.
        const overBudget = deps.chargeSubscription(ctx.extra.subject ?? null, ctx.extra.request, verdict.cost);
        if (overBudget) return [overBudget];
        // Checked and counted in one step (nothing awaited between): released when it completes or the socket closes.
        const refused = accounting.reserve(ctx.extra, id);
        if (refused) return [refused];
        // Subscribing is authorized in `subscribe` (above), with a context made for that alone.
        return { schema, document: verdict.document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue: { ...ctx.extra.live, id } };
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
    hub,
    async dispose() {
      await cleanup.dispose();
      wsServer.close();
    },
  };
}

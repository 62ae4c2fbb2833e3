/**
 * The GraphQL client, as a front-end team would set it up: urql with its defaults over HTTP (queries
 * go as GET, which the API accepts; mutations as POST) and graphql-ws for subscriptions, the bearer
 * token in the Authorization header and in connection_init.
 *
 * The socket reconnects by itself after a drop (graphql-ws retries with exponential backoff and
 * jitter, for ever while the page is open); `onReconnected` then lets the page read again what it
 * shows, since events sent while it was away are not replayed.
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface DashboardClient {
  urql: Client;
  ws: WsClient;
  /** While waiting to reconnect: try now instead of at the end of the backoff. */
  retryNow(): void;
  dispose(): void;
}

/** Close codes after which retrying with the same token is pointless: sign in again. */
const FATAL_CLOSE_CODES = new Set([4401, 4403]);

/**
 * `token()` is read for every request and every connection: a token renewed by the sign-in (a
 * refresh) is used from then on, and a socket closed because the previous one expired (4401)
 * reconnects with the new one instead of giving up.
 */
export function createDashboardClient(
  token: () => string,
  events: { onConnection(state: Connection): void; onReconnected(): void; onRetryAt?(at: number | null): void },
): DashboardClient {
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
  let connectedBefore = false;
  let disposed = false;
  // The token the socket was opened with: a refusal of that token is fatal only if no newer one came since.
  let connectedWith = '';
  // The pending backoff, to cut short ("retry now").
  let wake: (() => void) | null = null;
  // A disposed client (signed out, another token) reports nothing more to the page.
  const report = (state: Connection) => !disposed && events.onConnection(state);
  const fatal = (closeEvent: unknown) =>
    !!closeEvent && typeof closeEvent === 'object' && 'code' in closeEvent && FATAL_CLOSE_CODES.has((closeEvent as CloseEvent).code) && token() === connectedWith;
  const ws = createWsClient({
    url: wsUrl,
    connectionParams: () => {
      connectedWith = token();
      return connectedWith ? { authorization: `Bearer ${connectedWith}` } : {};
    },
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    // graphql-ws's own backoff is 1 s, 2 s, 4 s… plus jitter; capped here so a long outage is noticed within half a minute of its end.
    // The page shows when the next attempt is, and may cut the wait short.
    retryWait: (retries) =>
      new Promise<void>((resolve) => {
        const ms = Math.min(30_000, 500 * 2 ** retries) + Math.random() * 500;
        const done = () => {
          clearTimeout(timer);
          wake = null;
          if (!disposed) events.onRetryAt?.(null);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
        if (!disposed) events.onRetryAt?.(Date.now() + ms);
      }),
    shouldRetry: (closeEvent) => !fatal(closeEvent),
    // Pings find a socket that died silently (a sleeping laptop, a dropped network).
    keepAlive: 10_000,
    on: {
      connecting: () => report(connectedBefore ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        report('live');
        if (!disposed && (wasRetry || connectedBefore)) events.onReconnected();
        connectedBefore = true;
      },
      closed: (event) => report(fatal(event) ? 'closed' : 'reconnecting'),
    },
  });
  const urql = new Client({
    url: '/graphql',
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
    // Every screen reads the current state: rows are refreshed by events, not by a cache.
    requestPolicy: 'network-only',
    fetchOptions: (): RequestInit => {
      const bearer = token();
      return { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} };
    },
  });
  return {
    urql,
    ws,
    retryNow: () => wake?.(),
    dispose() {
      disposed = true;
      void ws.dispose();
    },
  };
}

/**
 * A live message that says "read again what you show" (`extensions.resync`, with `data: null`): the
 * server may have missed events (its connection to the database dropped and came back), or this
 * subscriber fell too far behind to be sent every change. It carries no data of any change.
 */
export function isResync(result: { extensions?: Record<string, unknown> }): boolean {
  const resync = result.extensions?.resync;
  return typeof resync === 'object' && resync !== null;
}

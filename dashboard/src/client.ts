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
  dispose(): void;
}

/** Close codes after which retrying with the same token is pointless: sign in again. */
const FATAL_CLOSE_CODES = new Set([4401, 4403]);

export function createDashboardClient(token: string, events: { onConnection(state: Connection): void; onReconnected(): void }): DashboardClient {
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
  let connectedBefore = false;
  let disposed = false;
  // A disposed client (signed out, another token) reports nothing more to the page.
  const report = (state: Connection) => !disposed && events.onConnection(state);
  const ws = createWsClient({
    url: wsUrl,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    // graphql-ws's own backoff is 1 s, 2 s, 4 s… plus jitter; capped here so a long outage is noticed within half a minute of its end.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** retries) + Math.random() * 500)),
    shouldRetry: (closeEvent) => !(closeEvent && typeof closeEvent === 'object' && 'code' in closeEvent && FATAL_CLOSE_CODES.has((closeEvent as CloseEvent).code)),
    // Pings find a socket that died silently (a sleeping laptop, a dropped network).
    keepAlive: 10_000,
    on: {
      connecting: () => report(connectedBefore ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        report('live');
        if (!disposed && (wasRetry || connectedBefore)) events.onReconnected();
        connectedBefore = true;
      },
      closed: (event) => {
        const fatal = !!event && typeof event === 'object' && 'code' in event && FATAL_CLOSE_CODES.has((event as CloseEvent).code);
        report(fatal ? 'closed' : 'reconnecting');
      },
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
    fetchOptions: (): RequestInit => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }),
  });
  return {
    urql,
    ws,
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

import { GraphQLError } from "graphql";
import type { SubscriptionLimits } from "../config.js";

/**
 * What the WebSockets of this process hold, per socket, per person and in all, against
 * config.subscriptions: every subscription is memory the process keeps and a subscriber it serves at
 * every event, so none of them may grow without bound because one client asks. A refusal names the
 * limit (`extensions.limit`, and the setting that raises it), so that a client knows which one it
 * met; the defaults are far above what a dashboard uses (it holds two subscriptions on one socket).
 */

/** Kept on each socket (graphql-ws `extra`). */
export type SocketAccount = {
  account?: {
    /** The person the socket signed in as (a profile id, or a token subject without one); null: anonymous. */
    person: string | null;
    /** Subscription ids counted on this socket. */
    ids: Set<string>;
  };
};

/** Close code for "too many connections for this person": a private code (4000-4999) that graphql-ws clients retry with their backoff. */
export const TOO_MANY_CONNECTIONS = 4029;

export type SubscriptionLimit = "PER_SOCKET" | "PER_PERSON" | "PER_PROCESS";

const SETTINGS: Record<SubscriptionLimit, string> = {
  PER_SOCKET: "WS_MAX_SUBSCRIPTIONS_PER_SOCKET",
  PER_PERSON: "WS_MAX_SUBSCRIPTIONS_PER_PERSON",
  PER_PROCESS: "WS_MAX_SUBSCRIPTIONS",
};

function tooMany(limit: SubscriptionLimit, max: number): GraphQLError {
  const message = {
    PER_SOCKET: `This connection already runs ${max} subscriptions, the most one connection may: complete one before starting another.`,
    PER_PERSON: `You already run ${max} subscriptions on this server, the most one person may: complete some (or close other tabs) first.`,
    PER_PROCESS: `This server runs as many subscriptions as it may (${max}): try again later.`,
  }[limit];
  return new GraphQLError(message, { extensions: { code: "TOO_MANY_SUBSCRIPTIONS", limit, max, setting: SETTINGS[limit] } });
}

export class SubscriptionAccounting {
  private readonly subscriptionsOf = new Map<string, number>();
  private readonly connectionsOf = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: SubscriptionLimits) {}

  /** A socket signed in as `person`: counted, or refused (the caller closes it with this code). */
  connect(socket: SocketAccount, person: string | null): { code: number; reason: string } | null {
    if (person !== null) {
      const open = this.connectionsOf.get(person) ?? 0;
      if (open >= this.limits.connectionsPerPerson) {
        return { code: TOO_MANY_CONNECTIONS, reason: `Too many connections: at most ${this.limits.connectionsPerPerson} per person (WS_MAX_CONNECTIONS_PER_PERSON)` };
      }
      this.connectionsOf.set(person, open + 1);
    }
    socket.account = { person, ids: new Set() };
    return null;
  }

  /** The socket closed: its connection and every subscription still counted on it are released. */
  disconnect(socket: SocketAccount): void {
    const account = socket.account;
    if (!account) return;
    for (const id of [...account.ids]) this.release(socket, id);
    if (account.person !== null) decrement(this.connectionsOf, account.person);
    socket.account = undefined;
  }

  /** Whether one more subscription would be refused (nothing counted). */
  check(socket: SocketAccount): GraphQLError | null {
    const account = socket.account;
    if (!account) return null;
    if (account.ids.size >= this.limits.perSocket) return tooMany("PER_SOCKET", this.limits.perSocket);
    if (account.person !== null && (this.subscriptionsOf.get(account.person) ?? 0) >= this.limits.perPerson) return tooMany("PER_PERSON", this.limits.perPerson);
    if (this.total >= this.limits.perProcess) return tooMany("PER_PROCESS", this.limits.perProcess);
    return null;
  }

  /** Counts subscription `id` of the socket, or refuses it. */
  reserve(socket: SocketAccount, id: string): GraphQLError | null {
    const refused = this.check(socket);
    if (refused) return refused;
    const account = socket.account;
    if (!account || account.ids.has(id)) return null;
    account.ids.add(id);
    if (account.person !== null) this.subscriptionsOf.set(account.person, (this.subscriptionsOf.get(account.person) ?? 0) + 1);
    this.total++;
    return null;
  }

  /** Subscription `id` ended (completed, failed, or its socket closed); releasing twice is harmless. */
  release(socket: SocketAccount, id: string): void {
    const account = socket.account;
    if (!account?.ids.delete(id)) return;
    if (account.person !== null) decrement(this.subscriptionsOf, account.person);
    this.total--;
  }

  /** Subscriptions counted in this process. */
  get counted(): number {
    return this.total;
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

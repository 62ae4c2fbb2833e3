import type { DataSource } from "typeorm";
import { Access } from "./auth/access.js";
import { defaultAccessLoader, type AccessLoader } from "./auth/access-loader.js";
import type { LiveFeeds } from "./events/live.js";
import type { Logger } from "./logger.js";
import { Loaders } from "./loaders.js";
import type { User } from "./modules/user/user.entity.js";

/**
 * The request context, built once per request (per event for subscriptions) and passed first to
 * every service call: who is asking, what they can reach, and the request's own loaders.
 */
export interface Context {
  requestId: string;
  logger: Logger;
  db: DataSource;
  /** The signed-in person's profile (null: anonymous, or no profile yet; see `subject`). */
  viewer: User | null;
  /** The verified token subject, also for a sign-in that has no profile yet. */
  subject: string | null;
  /** What the viewer may reach, decided in PostgreSQL (auth/access.ts). */
  access: Access;
  loaders: Loaders;
  /** Per-object permission decisions of this request (see auth/permissions.ts). */
  decisions: Map<string, WeakMap<object, boolean | Promise<boolean>>>;
  /** Live feeds for subscription resolvers (src/events/live.ts). */
  events: LiveFeeds;
  /** The mutation being resolved, as its permission rule saw it (application/mutation.ts runs it under that name's authority only). */
  mutation?: string;
  /** When the request's bearer token expires (ms since epoch): what is made for the viewer (an export link) lasts no longer. */
  tokenExpiresAt?: number | null;
}

/** For contexts outside the API server (scripts, benchmarks): subscribing there is a wiring mistake. */
export const noEvents: LiveFeeds = {
  feed() {
    throw new Error("This context has no event bus: subscriptions are served by the API server");
  },
};

/** The context of one request (or one subscription event): the viewer's access and fresh loaders. */
export async function buildContext(
  db: DataSource,
  logger: Logger,
  viewer: User | null,
  requestId: string,
  subject: string | null = viewer?.subject ?? null,
  events: LiveFeeds = noEvents,
  /** Already read with the viewer at sign-in (http/sign-in.ts), or the loader to read it with (the process's clock and book strategy). */
  access: Access | AccessLoader = defaultAccessLoader,
): Promise<Context> {
  if (!(access instanceof Access)) access = await access.load(db, viewer);
  return {
    requestId,
    logger: logger.child({ requestId }),
    db,
    viewer,
    subject,
    access,
    loaders: new Loaders(db, access),
    decisions: new Map(),
    events,
  };
}

/** After a change (a mutation's commit), the same request sees the world anew: access and loaders rebuilt. */
export async function refreshContext(ctx: Context): Promise<void> {
  renewContext(ctx, await ctx.access.loader.load(ctx.db, ctx.viewer));
}

/**
 * After a change that wrote nothing a person's access is read from: the access read inside its
 * transaction (after the person's rows were locked, held to the commit), on the request's pool and
 * the clock's time, with nothing it learned before the change; the loaders and decisions anew.
 */
export function renewContext(ctx: Context, access: Access): void {
  ctx.access = access.db === ctx.db ? access : access.loader.again(ctx.db, access);
  ctx.loaders = new Loaders(ctx.db, ctx.access);
  ctx.decisions = new Map();
}

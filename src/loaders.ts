import DataLoader from "dataloader";
import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import type { Access } from "./auth/access.js";
import { withListPolicy } from "./auth/list-policy.js";
import type { Page } from "./common/connection.js";
import type { NormalisedArgs } from "./common/cursor.js";
import { loadPages } from "./common/keyset.js";
import type { ListSpec } from "./common/lists.js";
import { columnsOf, hydrate } from "./db/rows.js";
import { query, raw, sql, uuids } from "./db/sql.js";

/**
 * Per-request DataLoaders (never shared between requests: a shared cache would leak one viewer's
 * rows to another). Keyed by foreign keys, results in key order, so a field resolver calls
 * `loaders.byId(Entity).load(row.fkId)` and a nested list `loaders.pages(...)` without N+1.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<unknown, DataLoader<string, unknown>>();
  private readonly pageLoaders = new Map<string, DataLoader<string, Page<never>>>();
  private readonly customLoaders = new Map<string, DataLoader<string, unknown>>();
  /** Values known before any batch asks for them, by loader name, for loaders not made yet (see prime). */
  private readonly primed = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly db: DataSource,
    /** Whose lists these are: what their rows teach the policy goes to this access (auth/list-policy.ts). */
    private readonly access: Access,
  ) {}

  byId<T extends ObjectLiteral & { id: string }>(entity: EntityTarget<T>): DataLoader<string, T | null> {
    let loader = this.byIdLoaders.get(entity);
    if (!loader) {
      // One statement per entity, the same text every time (its plan kept): no query builder per batch.
      const metadata = this.db.getMetadata(entity);
      const from = sql`SELECT ${columnsOf(this.db, entity, "e")} FROM ${raw(`"${metadata.tableName}"`)} e`;
      const opts = { plan: "reuse", label: `by id ${metadata.name}` } as const;
      loader = new DataLoader<string, unknown>(async (ids) => {
        const rows = hydrate(this.db, entity, await query<Record<string, unknown>>(this.db, sql`${from} WHERE e.id = ANY(${uuids(ids)})`, opts));
        const map = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => map.get(id) ?? null);
      });
      this.byIdLoaders.set(entity, loader);
    }
    return loader as DataLoader<string, T | null>;
  }

  /** One page of a nested list per parent id, all parents in one batch. `name` identifies the list. */
  pages<T extends ObjectLiteral & { id: string }>(name: string, spec: ListSpec<T>, args: NormalisedArgs): DataLoader<string, Page<T>> {
    // The order is part of the list: the same field read in two orders is two lists.
    const key = `${name}:${spec.order ?? ""}:${args.key}`;
    let loader = this.pageLoaders.get(key);
    if (!loader) {
      const keyset = withListPolicy(this.access, spec);
      loader = new DataLoader<string, Page<never>>(async (parentIds) => {
        const pages = await loadPages({ db: this.db }, keyset, parentIds, args);
        return parentIds.map((id) => pages.get(id) as Page<never>);
      });
      this.pageLoaders.set(key, loader);
    }
    return loader as unknown as DataLoader<string, Page<T>>;
  }

  /** A loader defined by its batch function, created once per request under `name`. */
  custom<V>(name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.customLoaders.get(name);
    if (!loader) {
      loader = new DataLoader<string, unknown>(batch as (keys: readonly string[]) => Promise<unknown[]>);
      for (const [key, value] of this.primed.get(name) ?? []) loader.prime(key, value);
      this.primed.delete(name);
      this.customLoaders.set(name, loader);
    }
    return loader as DataLoader<string, V>;
  }

  /**
   * Gives the custom loader `name` the value of `key` before anything asks: a subscription event's
   * context carries what the event's one decision already read for its viewer (events/live.ts).
   */
  prime(name: string, key: string, value: unknown): void {
    const loader = this.customLoaders.get(name);
    if (loader) loader.prime(key, value);
    else {
      let values = this.primed.get(name);
      if (!values) this.primed.set(name, (values = new Map()));
      values.set(key, value);
    }
  }
}

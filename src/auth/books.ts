import { LRUCache } from "lru-cache";
import { query, sql, type Queryable } from "../db/sql.js";
import { grantsSql } from "./grants.js";

/**
 * How root lists read a service provider's book of business: a strategy, chosen per process (the
 * server takes one; tests pass their own) and given to every Access it makes. It decides *how* to
 * read, never *what* may be read: the visibility condition is applied to every row either way.
 *
 * - A small book (at most `smallAtMost` accounts reached through relationships) is read from those
 *   accounts: its lists are driven by the accounts' ids through the indexes.
 * - A large book is read in the list's own order, each row checked by the viewer's grants: a plan
 *   that fits any size, kept once made.
 */
export interface BookOfBusiness {
  /** The accounts (and their businesses) a person reaches through relationships when that book is small; null when it is large. */
  smallBook(db: Queryable, person: string, now: Date): Promise<SmallBook | null>;
}

export interface SmallBook {
  accountIds: string[];
  businessIds: string[];
}

/** Above this many program accounts reached through relationships, a book is large. */
export const SMALL_BOOK_ACCOUNTS = 1000;

/** The policy's lookups: keyed by ids, the same plan serves every viewer and book (see QueryOptions). */
const REUSE = { plan: "reuse" } as const;

/**
 * Books judged by their size, with a short memory of the large ones: a large book stays large for a
 * while, so the probe (which reads up to `smallAtMost + 1` grants) is skipped for a minute. Only the
 * verdict "large" is remembered: reading a small book needs its accounts listed, so that is probed
 * every request. The memory is bounded (lru-cache: the least recently seen people go first).
 */
export class BooksBySize implements BookOfBusiness {
  private readonly large: LRUCache<string, true>;

  constructor(
    readonly smallAtMost = SMALL_BOOK_ACCOUNTS,
    opts: { rememberLargeMs?: number; maxPeople?: number } = {},
  ) {
    this.large = new LRUCache({ max: opts.maxPeople ?? 10_000, ttl: opts.rememberLargeMs ?? 60_000 });
  }

  async smallBook(db: Queryable, person: string, now: Date): Promise<SmallBook | null> {
    if (this.large.has(person)) return null;
    const rows = await query<{ program_account_id: string; business_id: string }>(
      db,
      sql`SELECT g.program_account_id, g.business_id FROM (${grantsSql({ now, user: person, paths: ["RELATIONSHIP"] })}) g
          LIMIT ${this.smallAtMost + 1}`,
      { ...REUSE, label: "access: small book" },
    );
    if (rows.length > this.smallAtMost) {
      this.large.set(person, true);
      return null;
    }
    return { accountIds: [...new Set(rows.map((r) => r.program_account_id))], businessIds: [...new Set(rows.map((r) => r.business_id))] };
  }
}

/** Every book read as a large one (in list order, row by row): for tests comparing the two ways. */
export const everyBookLarge: BookOfBusiness = { smallBook: async () => null };

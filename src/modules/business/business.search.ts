import { accountCondition, transactionCondition } from "../../auth/conditions.js";
import type { Access } from "../../auth/access.js";
import { badInput } from "../../common/errors.js";
import { bn15Error, transactionNumberError } from "../../common/identifiers.js";
import { text } from "../../common/inputs.js";
import { join, raw, sql, type Sql } from "../../db/sql.js";

/**
 * What a client search box finds among the businesses a person reaches (the list's own condition
 * still applies: a search narrows the list, it never widens it):
 * - words of the legal name, each contained in it, in any order, case-insensitive (`windows leaf`
 *   finds "Maple Leaf Windows Inc."): trigram matching (pg_trgm, GIN index
 *   businesses_legal_name_trgm), chosen over full text search for finding words inside names
 *   ("leaf" in "Mapleleaf") and measured at 10,000 clients (docs/front-end.md, Search and sort);
 * - up to 9 digits: a BN9 prefix;
 * - a BN15 (or its start: `711223347RM`): the business holding such a program account, where the
 *   person may see that account (an account out of reach is not hinted at);
 * - 14 digits: a transaction number: the business whose account holds that transaction, where the
 *   person may see the transaction (visibility rules applied).
 */

/** At most this many words are matched (each is one condition). */
export const MAX_SEARCH_WORDS = 8;
export const MAX_SEARCH_LENGTH = 100;

/** How the words of a name are matched: `b` is the businesses alias. */
export type NameMatcher = (b: string, words: string[]) => Sql;

const likeEscaped = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Each word contained in the legal name (ILIKE, served by the trigram index). */
export const trigramMatch: NameMatcher = (b, words) => join(words.map((w) => sql`${raw(b)}.legal_name ILIKE ${`%${likeEscaped(w)}%`}`), " AND ");

/**
 * The same words as full text search would match them (each a prefix of a word of the name: 'simple'
 * configuration, no stemming). Not used by the API: kept for the benchmark that compares the two (bench/search.ts).
 */
export const fullTextMatch: NameMatcher = (b, words) => {
  const tokens = words.flatMap((w) => w.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean);
  if (!tokens.length) return sql`FALSE`;
  return sql`to_tsvector('simple', ${raw(b)}.legal_name) @@ to_tsquery('simple', ${tokens.map((t) => `${t}:*`).join(" & ")})`;
};

/** The search as a condition on the businesses aliased `b`, or null without a search. */
export function businessSearch(access: Access, search: string | null | undefined, b: string, matchName: NameMatcher = trigramMatch): Sql | null {
  const term = text(search, "search", { max: MAX_SEARCH_LENGTH });
  if (term === null) return null;
  const id = raw(`${b}.id`);
  const compact = term.replace(/\s+/g, "");
  if (/^\d{1,9}$/.test(compact)) return sql`${raw(b)}.bn9 LIKE ${`${compact}%`}`;
  if (/^\d{14}$/.test(compact)) {
    const err = transactionNumberError(compact);
    if (err) throw badInput(`${err} (a search of 14 digits is a transaction number)`, "search");
    return sql`EXISTS (SELECT 1 FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id
                        WHERE t.transaction_number = ${compact} AND pa.business_id = ${id} AND ${transactionCondition(access, "t")})`;
  }
  const bn15 = /^(\d{9})RM(\d{0,4})$/i.exec(compact);
  if (bn15) {
    const full = `${bn15[1]}RM${bn15[2]}`;
    if (bn15[2]!.length === 4) {
      const err = bn15Error(full);
      if (err) throw badInput(err, "search");
    }
    return sql`${raw(b)}.bn9 = ${bn15[1]} AND EXISTS (SELECT 1 FROM program_accounts pa
                        WHERE pa.business_id = ${id} AND pa.bn15 LIKE ${`${full}%`} AND ${accountCondition(access, "VIEW_PROGRAM_ACCOUNT", "pa.id")})`;
  }
  if (/^\d+$/.test(compact)) {
    throw badInput("A search of digits is a BN9 (up to 9 digits, a prefix) or a transaction number (14 digits).", "search");
  }
  const words = term.split(/\s+/).filter(Boolean);
  if (words.length > MAX_SEARCH_WORDS) throw badInput(`A search holds at most ${MAX_SEARCH_WORDS} words (got ${words.length}).`, "search");
  return sql`(${matchName(b, words)})`;
}

import type { ObjectLiteral } from "typeorm";
import type { KeysetSpec, RowsRead } from "../common/keyset.js";
import { sql } from "../db/sql.js";
import type { Access } from "./access.js";

/**
 * What a list declares about the policy beside its condition (`where`), and how the policy acts on
 * it: the keyset engine reads pages and tells whoever listens what it read (KeysetSpec.onRows); this
 * decorates a list so that the person's Access learns from it.
 */
export interface ListPolicy {
  /**
   * The GraphQL type whose visibility rule `where` applies: the rows it returns are known visible
   * (Access.markVisible), so their admission needs no second check.
   */
  visibleAs?: string;
  /** Objects the rows' visibility implies the person may see too (a column of the rows holding their ids). */
  alsoVisible?: { type: string; column: string }[];
  /**
   * The list's parent rows are the person's grants (Access.grantsOfParents) and role checks on the
   * rows' accounts are likely to follow (a program account's `myRole`): the column of a row holding
   * its account. The statement then also returns the person's relationship roles on each row's
   * account (the grants hold every path to every account of a parent), which Access.learnProviderRoles
   * keeps, so that those checks need no statement of their own.
   */
  rolesOnAccountIn?: string;
}

const ROLES = "provider_roles";

/** The list as the keyset engine reads it, with what the policy learns from its rows wired to `access`. */
export function withListPolicy<T extends ObjectLiteral>(access: Access, spec: KeysetSpec<T> & ListPolicy): KeysetSpec<T> {
  const { visibleAs, alsoVisible, rolesOnAccountIn, ...keyset } = spec;
  if (!visibleAs && !alsoVisible?.length && !rolesOnAccountIn) return keyset;
  // Only grants as parent rows (Access.grantsOfParents) carry the columns the roles are read from.
  if (rolesOnAccountIn && !spec.parentRows && !spec.parentRowsFor) throw new Error("rolesOnAccountIn needs the person's grants as the list's parent rows");
  return {
    ...keyset,
    perRowFromParents: rolesOnAccountIn
      ? {
          name: ROLES,
          cte: sql`SELECT program_account_id AS key, array_agg(role) FILTER (WHERE via = 'RELATIONSHIP') AS value FROM page_parent GROUP BY 1`,
          column: rolesOnAccountIn,
          orElse: sql`'{}'`,
        }
      : undefined,
    onRows(rows: RowsRead) {
      if (visibleAs) access.markVisible(visibleAs, rows.ids());
      for (const also of alsoVisible ?? []) access.markVisible(also.type, rows.column(also.column) as string[]);
      // Nested pages only: a root page has no parent rows to read roles from.
      if (rolesOnAccountIn && rows.columns.includes(ROLES)) {
        const accounts = rows.column(rolesOnAccountIn) as string[];
        const roles = rows.column(ROLES) as string[][];
        access.learnProviderRoles(new Map(accounts.map((a, i) => [a, roles[i]!])));
      }
    },
  };
}

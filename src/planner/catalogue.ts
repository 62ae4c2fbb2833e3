import { strongestRoleSql } from "../auth/compiled-authority.js";
import { visibleTotal } from "../auth/conditions.js";
import type { Context } from "../context.js";
import type { ListSpec } from "../common/lists.js";
import { raw, sql, type Sql } from "../db/sql.js";
import { bn9Error } from "../common/identifiers.js";
import { businessList, businessVisible } from "../modules/business/business.service.js";
import { programAccountList } from "../modules/program-account/program-account.service.js";
import { accountTransactionList, transactionList } from "../modules/transaction/transaction.service.js";
import { bool, globalId, json, localDate, money } from "./render.js";

/**
 * What the compiled path knows how to read: per GraphQL type, the fields it writes in SQL and how,
 * and the lists (root and nested) it reads through the list specs the resolvers read (the same
 * tables, order and policy condition: `where`). Anything not here is not compiled: the operation
 * takes the general path. Who may see a field is not decided here but by the permission map
 * (auth/compiled-authority.ts), asked for every field when an operation is planned.
 */

/** What a field's SQL may use: the request, the row's alias and, where the statement reads them, the viewer's grants. */
export interface Env {
  ctx: Context;
  /** The request's variables, coerced. */
  variables: Record<string, unknown>;
  /**
   * The viewer's grants on the business at the root of the object at hand (every path to each of its
   * accounts: the grants relation of grants.ts), as a FROM item read under `alias`; null when not read.
   */
  grants: ((alias: string) => Sql) | null;
}

type AnyList = ListSpec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type CatalogueField =
  /** A leaf, as JSON text, from the row aliased `x`. */
  | { kind: "scalar"; needsGrants?: boolean; render(x: string, env: Env): Sql }
  /** An object the row names (a reference): its row, aliased `y`, from a FROM item and condition tying it to `x`. */
  | { kind: "object"; type: string; from(x: string, y: string): Sql }
  /** A list nested under the row, read through the viewer's grants on it (the list's parent rows: grantsPerParent). */
  | { kind: "list"; type: string; spec(ctx: Context): AnyList; grantsKey: "business_id" | "program_account_id" };

const col = (x: string, column: string) => raw(`${x}.${column}`);
const text = (column: string): CatalogueField => ({ kind: "scalar", render: (x) => json(col(x, column)) });

export const types: Record<string, Record<string, CatalogueField>> = {
  Business: {
    id: { kind: "scalar", render: (x) => globalId("Business", col(x, "id")) },
    bn9: text("bn9"),
    legalName: text("legal_name"),
    isServiceProvider: { kind: "scalar", render: (x) => bool(col(x, "is_service_provider")) },
    programAccounts: { kind: "list", type: "ProgramAccount", spec: programAccountList, grantsKey: "business_id" },
  },
  ProgramAccount: {
    id: { kind: "scalar", render: (x) => globalId("ProgramAccount", col(x, "id")) },
    rm: text("rm"),
    bn15: text("bn15"),
    name: text("name"),
    // Access.roleOn: the strongest of the viewer's paths to the account.
    myRole: { kind: "scalar", needsGrants: true, render: (x, env) => json(strongestRoleSql(env.grants!, col(x, "id"))) },
    transactions: { kind: "list", type: "Transaction", spec: accountTransactionList, grantsKey: "program_account_id" },
  },
  Transaction: {
    id: { kind: "scalar", render: (x) => globalId("Transaction", col(x, "id")) },
    transactionNumber: text("transaction_number"),
    releasedOn: { kind: "scalar", render: (x) => localDate(col(x, "released_on")) },
    accountedOn: { kind: "scalar", render: (x) => localDate(col(x, "accounted_on")) },
    // What the viewer sees of it: the latest accepted version they may see (conditions.ts, the lists' filter and order by amount).
    totalDutiesAndTaxes: { kind: "scalar", render: (x, env) => money(visibleTotal(env.ctx.access, x)) },
    submittedBy: { kind: "object", type: "Business", from: (x, y) => sql`businesses ${raw(y)} WHERE ${raw(y)}.id = ${col(x, "submitted_by_business_id")}` },
  },
};

/** A root field the compiled path reads: one object by a key, or a root list. */
export type RootField =
  | {
      kind: "one";
      type: string;
      /** The argument naming it, and the rows finding it (a FROM item aliased `b` and its condition); null: the argument is not valid (the general path says why). */
      key: string;
      find(ctx: Context, value: unknown): Sql | null;
    }
  | {
      kind: "list";
      type: string;
      spec(ctx: Context): Promise<AnyList>;
      /** Arguments this list reads only when left out or null (a search, another order): otherwise the general path answers. */
      unsupported: string[];
    };

export const roots: Record<string, RootField> = {
  business: {
    kind: "one",
    type: "Business",
    key: "bn9",
    // businessByBn9: the business with that BN9, if the viewer reaches it (the list's condition: visible.Business).
    find(ctx, bn9) {
      if (typeof bn9 !== "string" || bn9Error(bn9)) return null;
      return sql`businesses b WHERE b.bn9 = ${bn9} AND ${businessVisible(ctx)}`;
    },
  },
  businesses: { kind: "list", type: "Business", spec: (ctx) => businessList(ctx), unsupported: ["search", "orderBy"] },
  transactions: { kind: "list", type: "Transaction", spec: (ctx) => transactionList(ctx), unsupported: ["filter", "orderBy"] },
};

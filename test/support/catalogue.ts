/**
 * The operations the planner's proof runs (test/compiled.test.ts, and the property test's covered
 * reads): what a front end sends, and the shapes around the planner's coverage, each marked with the
 * path it must take. "Covered": the planner plans it into one statement, and the metric must show
 * that every request of it the planner should answer (signed in, an answer without errors) it did
 * answer (a planner that silently falls back for everything fails the proof). Not covered: it must
 * fall back, operation by operation, to the resolvers (the metric shows that too).
 *
 * Three sources:
 * - the three pages `npm run bench` measures, exactly as bench/pages.ts sends them;
 * - every query operation of test/operations/*.graphql (the front end's documents), with the
 *   fragments it uses;
 * - shapes generated around the schema's lists: the root lists (`businesses`, `transactions`) and
 *   the single roots (`business`, `programAccount`) with their nested connections
 *   (`programAccounts`, `transactions`), each with and without `after` from the previous page's
 *   cursor (as a literal and as a variable), `first` from literals and variables, aliases,
 *   fragments (named and inline), `__typename`, `edges { cursor node }`, `pageInfo`,
 *   `@include`/`@skip` with literals, and the fields and arguments that must make an operation fall
 *   back (totalCount, money with a field rule, `last`/`before`, `search`, `orderBy`, a variable in a
 *   directive, other types' connections, mutations).
 */
import fs from "node:fs";
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { pages } from "../../bench/pages.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A follow-up request built from the first one's answer (the general path's): the next page by the cursor it gave. */
export interface FollowUp {
  /** What it is, for messages. */
  label: string;
  query?: string;
  variables?: Record<string, unknown>;
}

export interface CatalogueOperation {
  /** The operation's name (unique in the catalogue), also the metric's label. */
  name: string;
  source: "bench" | "operations" | "generated";
  query: string;
  variables?: Record<string, unknown>;
  /**
   * Covered: the planner plans it, and answers each request whose answer is data without errors
   * (signed in; an error, such as an unknown business or a forged cursor, is the general path's to
   * give). Not covered: every request takes the general path.
   */
  covered: boolean;
  /** Further requests from this answer's data: a later page by its cursor (null data: none). */
  next?: (data: Json) => FollowUp[];
}

/** The businesses of the demo world the catalogue names. */
export const MAPLE_LEAF = "123456782";
export const NORTHERN = "876543216";
export const PRAIRIE = "711223349";
/** One of Maple Leaf's program accounts (bob's, carol's; dave does not reach it). */
export const MAPLE_RM1 = `${MAPLE_LEAF}RM0001`;

/** A cursor at the end of a connection (null where there is none: an empty or last page). */
const endCursor = (connection: Json): string | null => (connection?.pageInfo?.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null);
/** The cursor of an edge in the middle of a connection (edges carry cursors). */
const edgeCursor = (connection: Json, at: number): string | null => connection?.edges?.[at]?.cursor ?? null;

const benchNames = ["ImporterPage", "ClientPage", "Dashboard"];

/** The three pages of `npm run bench`, sent as bench/pages.ts sends them. */
function benchPages(): CatalogueOperation[] {
  return pages.map((p, i) => {
    const name = (parse(p.query).definitions[0] as OperationDefinitionNode).name!.value;
    if (name !== benchNames[i]) throw new Error(`bench/pages.ts changed: page ${i} is ${name}`);
    return { name, source: "bench" as const, query: p.query, covered: true };
  });
}

/** Fragments an operation (or fragment) uses, transitively. */
function usedFragments(node: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, into = new Set<string>()): Set<string> {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (into.has(name)) return;
      into.add(name);
      usedFragments(fragments.get(name)!, fragments, into);
    },
  });
  return into;
}

/** Each query operation of a document with the fragments it uses: a document of its own. */
export function splitOperations(document: DocumentNode): { name: string; query: string; operation: OperationDefinitionNode }[] {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === "query")
    .map((operation) => {
      const used = usedFragments(operation, fragments);
      const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...[...used].map((n) => fragments.get(n)!)] };
      return { name: operation.name!.value, query: print(doc), operation };
    });
}

/**
 * What each of test/operations' query operations is sent with, and whether the planner covers it. The front
 * end's documents mostly ask for fields outside the planner's first coverage (totalCount, a
 * version's lines, statements, the viewer): those must fall back.
 */
const frontEnd: Record<string, { variables?: Record<string, unknown>; covered: boolean; next?: CatalogueOperation["next"] }> = {
  // An agency officer's queue of adjustments: outside the planner's types.
  AdjustmentQueue: { variables: { first: 5 }, covered: false },
  // totalCount on both connections: the planner does not count (yet).
  BusinessOverview: { variables: { bn9: MAPLE_LEAF, txFirst: 3 }, covered: false },
  Viewer: { covered: false },
  NodeById: { variables: { id: "QnVzaW5lc3M6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw" }, covered: false },
  AccountStatements: { variables: { bn15: MAPLE_RM1 }, covered: false },
  TransactionsPage: {
    variables: { first: 4 },
    covered: false,
    next: (data) => {
      const after = endCursor(data?.transactions);
      return after ? [{ label: "next page", variables: { first: 4, after } }] : [];
    },
  },
  TransactionsDeep: { variables: { first: 3 }, covered: false },
  TransactionByNumber: { variables: { number: "10000000000019" }, covered: false },
};

function frontEndOperations(): CatalogueOperation[] {
  const dir = new URL("../operations/", import.meta.url);
  const out: CatalogueOperation[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort()) {
    for (const op of splitOperations(parse(fs.readFileSync(new URL(file, dir), "utf8")))) {
      const how = frontEnd[op.name];
      if (!how) throw new Error(`test/operations/${file}: ${op.name} has no entry in the catalogue (say how it is sent and which path it takes)`);
      out.push({ name: op.name, source: "operations", query: op.query, variables: how.variables, covered: how.covered, next: how.next });
    }
  }
  const missing = Object.keys(frontEnd).filter((n) => !out.some((o) => o.name === n));
  if (missing.length) throw new Error(`the catalogue names operations test/operations no longer has: ${missing.join(", ")}`);
  return out;
}

/** Leaves of each type the planner covers (plain columns, myRole, the money the viewer may see, the submitter's name). */
const BUSINESS = "id bn9 legalName isServiceProvider";
const ACCOUNT = "id bn15 rm name myRole";
const TRANSACTION = "id transactionNumber releasedOn totalDutiesAndTaxes submittedBy { legalName }";
const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

/** Shapes generated from the schema around the planner's coverage. */
function generated(): CatalogueOperation[] {
  const g = (name: string, query: string, rest: Partial<CatalogueOperation> = {}): CatalogueOperation => ({
    name,
    source: "generated",
    query: query.replace(/^query\b/, `query ${name}`),
    covered: true,
    ...rest,
  });
  return [
    // Root lists, first as a literal, the next page by the cursor as a variable and as a literal.
    g("GenBusinessesPage", `query($after: String) { businesses(first: 3, after: $after) { edges { cursor node { ${BUSINESS} } } ${PAGE_INFO} } }`, {
      next: (data) => {
        const after = endCursor(data?.businesses);
        const mid = edgeCursor(data?.businesses, 0);
        return [
          ...(after ? [{ label: "next page (variable)", variables: { after } }] : []),
          ...(mid ? [{ label: "from the first edge's cursor (variable)", variables: { after: mid } }] : []),
        ];
      },
    }),
    g("GenBusinessesLiteral", `query { businesses(first: 2) { edges { cursor node { bn9 legalName } } ${PAGE_INFO} } }`, {
      next: (data) => {
        const after = endCursor(data?.businesses);
        return after
          ? [{ label: "next page (literal cursor)", query: `query GenBusinessesLiteral { businesses(first: 2, after: ${JSON.stringify(after)}) { edges { cursor node { bn9 legalName } } ${PAGE_INFO} } }` }]
          : [];
      },
    }),
    g("GenBusinessesFirstVar", `query($n: Int) { businesses(first: $n) { edges { node { bn9 isServiceProvider } } pageInfo { hasNextPage endCursor } } }`, { variables: { n: 4 } }),
    g("GenBusinessesFirstNull", `query($n: Int) { businesses(first: $n) { edges { node { bn9 } } pageInfo { hasNextPage } } }`, { variables: { n: null } }),
    g("GenBusinessesDefault", `query { businesses { edges { node { bn9 legalName } } } }`),
    g("GenBusinessesEmptyPage", `query { businesses(first: 0) { edges { cursor node { bn9 } } ${PAGE_INFO} } }`),
    g("GenTransactionsPage", `query($first: Int!, $after: String) { transactions(first: $first, after: $after) { edges { cursor node { ${TRANSACTION} } } ${PAGE_INFO} } }`, {
      variables: { first: 4 },
      next: (data) => {
        const after = endCursor(data?.transactions);
        return after ? [{ label: "next page", variables: { first: 4, after } }, { label: "a page of one", variables: { first: 1, after } }] : [];
      },
    }),
    g("GenTransactionsLiteral", `query { transactions(first: 3) { edges { cursor node { transactionNumber releasedOn } } pageInfo { hasNextPage endCursor } } }`, {
      next: (data) => {
        const after = endCursor(data?.transactions);
        return after
          ? [{ label: "next page (literal cursor)", query: `query GenTransactionsLiteral { transactions(first: 3, after: "${after}") { edges { cursor node { transactionNumber releasedOn } } pageInfo { hasNextPage endCursor } } }` }]
          : [];
      },
    }),
    // Nested connections under the root lists, with their cursors and page info.
    g(
      "GenBusinessesNested",
      `query { businesses(first: 4) { edges { cursor node { bn9 programAccounts(first: 2) { edges { cursor node { ${ACCOUNT}
        transactions(first: 3) { edges { cursor node { ${TRANSACTION} } } ${PAGE_INFO} } } } ${PAGE_INFO} } } } ${PAGE_INFO} } }`,
    ),
    // A nested page continued from a cursor given as a variable: every parent's page starts after it.
    g(
      "GenNestedAfter",
      `query($bn9: String!, $after: String) { business(bn9: $bn9) { bn9 programAccounts(first: 5) { edges { node { bn15
        transactions(first: 2, after: $after) { edges { cursor node { transactionNumber releasedOn totalDutiesAndTaxes } } ${PAGE_INFO} } } } } } }`,
      {
        variables: { bn9: MAPLE_LEAF },
        next: (data) => {
          const accounts = data?.business?.programAccounts?.edges ?? [];
          const after = accounts.map((e: Json) => endCursor(e.node.transactions)).find(Boolean);
          return after ? [{ label: "nested page after a cursor", variables: { bn9: MAPLE_LEAF, after } }] : [];
        },
      },
    ),
    g(
      "GenNestedAccountsAfter",
      `query($after: String) { businesses(first: 3) { edges { node { bn9 programAccounts(first: 1, after: $after) { edges { cursor node { bn15 name } } ${PAGE_INFO} } } } } }`,
      {
        next: (data) => {
          const after = (data?.businesses?.edges ?? []).map((e: Json) => endCursor(e.node.programAccounts)).find(Boolean);
          return after ? [{ label: "nested accounts after a cursor", variables: { after } }] : [];
        },
      },
    ),
    // The single roots: a business (seen, not seen) and an account.
    g("GenBusinessOne", `query($bn9: String!) { business(bn9: $bn9) { ${BUSINESS} programAccounts { edges { node { ${ACCOUNT} } } } } }`, { variables: { bn9: MAPLE_LEAF } }),
    g("GenBusinessOther", `query { business(bn9: "${PRAIRIE}") { bn9 legalName programAccounts(first: 2) { edges { node { bn15 } } } } }`),
    g("GenBusinessNorthern", `query { business(bn9: "${NORTHERN}") { bn9 legalName isServiceProvider } }`),
    // Aliases on lists and leaves (the same list twice, differently sized), and a leaf twice.
    g(
      "GenAliases",
      `query { few: businesses(first: 1) { list: edges { at: cursor item: node { name: legalName number: bn9 again: bn9 } } } more: businesses(first: 3) { edges { node { bn9
        accounts: programAccounts(first: 1) { edges { node { number: bn15 role: myRole } } } } } info: pageInfo { next: hasNextPage } } }`,
    ),
    // Named fragments, nested fragments and inline fragments (with and without a type condition).
    g(
      "GenFragments",
      `query { businesses(first: 3) { ...Page } }
       fragment Page on BusinessConnection { edges { node { ...Biz ... on Business { id } ... { isServiceProvider } } } pageInfo { ...Info } }
       fragment Biz on Business { bn9 legalName programAccounts(first: 2) { edges { node { ...Acct } } } }
       fragment Acct on ProgramAccount { bn15 myRole transactions(first: 2) { edges { node { ...Tx } } } }
       fragment Tx on Transaction { transactionNumber totalDutiesAndTaxes }
       fragment Info on PageInfo { hasNextPage endCursor }`,
    ),
    // The same field selected twice, merged (graphql-js merges fields by response key).
    g("GenMergedFields", `query { businesses(first: 2) { edges { node { bn9 } } edges { node { legalName bn9 } cursor } } }`),
    g(
      "GenTypename",
      `query { businesses(first: 2) { __typename edges { __typename node { __typename bn9 programAccounts(first: 1) { __typename edges { node { __typename bn15
        transactions(first: 1) { edges { node { __typename transactionNumber submittedBy { __typename legalName } } } } } } pageInfo { __typename hasNextPage } } } } } }`,
    ),
    g(
      "GenDirectives",
      `query { businesses(first: 3) { edges { node { bn9 legalName @skip(if: true) id @include(if: true) isServiceProvider @include(if: false) programAccounts(first: 1) @skip(if: false) { edges { node { bn15 } } }
        ... on Business @include(if: false) { myRole } ...Gone @skip(if: true) } } } }
       fragment Gone on Business { city }`,
    ),
    // Two roots in one statement, a default variable, merged connections, an interface's fragment.
    g(
      "GenTwoRoots",
      `query($bn9: String!) { one: business(bn9: $bn9) { bn9 programAccounts(first: 1) { edges { node { bn15 } } } } businesses(first: 2) { edges { node { bn9 } } }
        transactions(first: 2) { edges { node { transactionNumber totalDutiesAndTaxes } } } }`,
      { variables: { bn9: MAPLE_LEAF } },
    ),
    g("GenDefaultVariable", `query($n: Int = 2, $after: String = null) { businesses(first: $n, after: $after) { edges { cursor node { bn9 } } pageInfo { hasNextPage endCursor } } }`),
    g(
      "GenMergedConnections",
      `query { businesses(first: 2) { edges { node { bn9 programAccounts(first: 2) { edges { node { bn15 } } } programAccounts(first: 2) { edges { node { name bn15 } cursor } pageInfo { endCursor } } } } } }`,
    ),
    g("GenInterfaceFragment", `query { businesses(first: 2) { edges { node { ... on Node { id } bn9 } } } }`),
    g("GenBothDirectives", `query { businesses(first: 2) { edges { node { bn9 @skip(if: false) @include(if: false) legalName @skip(if: false) @include(if: true) } } } }`),
    // Keys JavaScript objects treat specially, as aliases: the answer must still carry them as data.
    g("GenAwkwardAliases", `query { businesses(first: 1) { edges { node { constructor: bn9 toString: legalName hasOwnProperty: id } } } }`),
    // The submitter of a transaction the viewer sees may be a business whose profile they may not see.
    g("GenSubmitterScalars", `query { transactions(first: 30) { edges { node { transactionNumber submittedBy { __typename id bn9 legalName isServiceProvider } } } } }`),
    // A cursor of another list (a business's, given to transactions), and a cursor naming an impossible date.
    g("GenCursorOfAnotherList", `query($after: String) { transactions(first: 2, after: $after) { edges { node { transactionNumber } } } }`, {
      variables: { after: Buffer.from(JSON.stringify(["Maple Leaf Windows & Doors Inc.", "00000000-0000-4000-8000-000000000000", "LEGAL_NAME:ASC"])).toString("base64url") },
    }),
    g("GenImpossibleCursor", `query($after: String) { transactions(first: 2, after: $after) { edges { node { transactionNumber } } } }`, {
      variables: { after: Buffer.from(JSON.stringify(["2026-02-30", "00000000-0000-4000-8000-000000000000", "RELEASED_ON:DESC"])).toString("base64url") },
    }),
    g("GenBusinessBadBn9", `query { business(bn9: "123456789") { bn9 } }`),
    g("GenBusinessUnknown", `query { business(bn9: "000000000") { bn9 } }`),
    // Outside the coverage: each must fall back.
    g("GenSubmitterAccounts", `query { transactions(first: 5) { edges { node { transactionNumber submittedBy { bn9 programAccounts(first: 2) { edges { node { bn15 } } } } } } } }`, { covered: false }),
    g("GenTotalCount", `query { businesses(first: 2) { totalCount edges { node { bn9 } } } }`, { covered: false }),
    g("GenMoneyRule", `query { businesses(first: 2) { edges { node { bn9 programAccounts(first: 2) { edges { node { bn15 overdue hasRppPrivilege } } } } } } }`, { covered: false }),
    g("GenBackward", `query { transactions(last: 3) { edges { node { transactionNumber } } pageInfo { hasPreviousPage startCursor } } }`, { covered: false }),
    g("GenSearch", `query { businesses(first: 3, search: "maple") { edges { node { bn9 } } } }`, { covered: false }),
    g("GenOrderBy", `query { transactions(first: 3, orderBy: { field: AMOUNT, direction: DESC }) { edges { node { transactionNumber } } } }`, { covered: false }),
    g("GenFilter", `query { transactions(first: 3, filter: { bn15: "${MAPLE_RM1}" }) { edges { node { transactionNumber } } } }`, { covered: false }),
    g("GenVariableDirective", `query($with: Boolean!) { businesses(first: 2) { edges { node { bn9 legalName @include(if: $with) } } } }`, { variables: { with: true }, covered: false }),
    g("GenOtherConnection", `query { businesses(first: 2) { edges { node { bn9 relationships(first: 2) { edges { node { id } } } } } } }`, { covered: false }),
    g("GenResolvedField", `query { transactions(first: 2) { edges { node { transactionNumber late dueDate submittedByUser { username } } } } }`, { covered: false }),
    g("GenProgramAccountRoot", `query { programAccount(bn15: "${MAPLE_RM1}") { bn15 name myRole transactions(first: 2) { edges { node { transactionNumber } } } } }`, { covered: false }),
    g("GenRootTypename", `query { __typename businesses(first: 1) { edges { node { bn9 } } } }`, { covered: false }),
    g("GenViewer", `query { viewer { id roles } businesses(first: 1) { edges { node { bn9 } } } }`, { covered: false }),
    // Covered shapes whose requests are refused (a forged cursor, a page size out of range): the general path gives the error.
    g("GenForgedCursor", `query { businesses(first: 2, after: "bm90IGEgY3Vyc29y") { edges { node { bn9 } } } }`),
    g("GenPageTooLarge", `query { transactions(first: 101) { edges { node { transactionNumber } } } }`),
    g("GenNegativePage", `query($n: Int) { businesses(first: $n) { edges { node { bn9 } } } }`, { variables: { n: -1 } }),
    // A leaf the planner does not write (its own resolver): the whole operation falls back.
    g("GenUncoveredLeaf", `query { businesses(first: 2) { edges { node { bn9 city myRole } } } }`, { covered: false }),
    // A mutation is never compiled (this one is refused on its input: nothing changes on either path).
    {
      name: "GenMutation",
      source: "generated",
      query: `mutation GenMutation { fileDeclaration(input: { bn15: "000000000RM0000", releasedOn: "2026-11-20", lines: [] }) { transactionNumber } }`,
      covered: false,
    },
  ];
}

/** The whole catalogue, each operation named once. */
export function catalogue(): CatalogueOperation[] {
  const all = [...benchPages(), ...frontEndOperations(), ...generated()];
  const names = all.map((o) => o.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`operation names used twice: ${twice.join(", ")}`);
  return all;
}

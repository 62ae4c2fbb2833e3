/**
 * The pages `npm run bench` serves, as a front end asks the API for them and as PostGraphile (v5,
 * amber preset, bench/postgraphile.ts) is asked for the same rows, and the declaration it files.
 *
 * What makes the comparison honest:
 * - The same database, the same rows, the same leaves. Each page's digest (every row's identifier
 *   and every leaf it shows, in order) must be equal from both servers before anything is measured.
 * - PostGraphile has no notion of the portal's rules (no sign-in, roles, grants, field rules): it
 *   serves what it is asked, unrestricted. Where a persona's rules decide *which rows* a page holds,
 *   PostGraphile is given that selection as data, in plain SQL functions it inlines into its one
 *   statement (bench/postgraphile-schema.ts): erin's clients are Northern's clients through the
 *   relationships table, and the transactions she sees are those the relationship's "submitted by"
 *   flags let Northern see (1 in 5 of each account's are another broker's, hidden from her). Without
 *   that, PostGraphile would answer other rows than the API and the comparison would say nothing.
 * - `myRole` (the viewer's role on an account, a rule's output) has no PostGraphile counterpart: its
 *   page selects the account's `rm` in its place, a leaf of the same size, and the digest leaves both
 *   out. Cursors differ by design and are left out too.
 * - alice owns her business (its BAM): she sees all of it, so PostGraphile reads her page plainly.
 */
export interface PageCase {
  /** Short name, as printed in the table and matched by `--only`. */
  name: string;
  /** Who asks the API. */
  persona: "alice" | "erin";
  /** What a GraphQL client sends the API. */
  query: string;
  /** What PostGraphile is sent for the same rows. */
  postgraphile: string;
  /** A response of either server reduced to what both must agree on (throws on an error response). */
  digest(body: unknown): unknown;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The nodes of a connection (both servers use Relay connections: edges of nodes). */
export const nodes = (connection: Json): Json[] => {
  if (!connection || !Array.isArray(connection.edges)) throw new Error(`not a connection: ${JSON.stringify(connection)?.slice(0, 200)}`);
  return connection.edges.map((e: Json) => e.node);
};

/** The response's data, or an error naming what the server answered instead. */
export function dataOf(body: Json): Json {
  if (!body || typeof body !== "object" || body.errors || !body.data) throw new Error(`the server answered ${JSON.stringify(body)?.slice(0, 300)}`);
  return body.data;
}

const NORTHERN = "876543216";
const MAPLE_LEAF = "123456782";

export const pages: PageCase[] = [
  {
    name: "importer page (alice: her business, accounts x 20 transactions)",
    persona: "alice",
    query: `query ImporterPage { business(bn9: "${MAPLE_LEAF}") { bn9 legalName programAccounts { edges { node { bn15 name
      transactions(first: 20) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes submittedBy { legalName } } } } } } } } }`,
    postgraphile: `query ImporterPage { allBusinesses(condition: { bn9: "${MAPLE_LEAF}" }) { nodes { bn9 legalName
      programAccountsByBusinessId(orderBy: [RM_ASC, PRIMARY_KEY_ASC]) { edges { node { bn15 name
        transactionsByProgramAccountId(first: 20, orderBy: [RELEASED_ON_DESC, PRIMARY_KEY_DESC]) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes
          businessBySubmittedByBusinessId { legalName } } } } } } } } } }`,
    digest(body) {
      const data = dataOf(body);
      const business = data.business ?? data.allBusinesses?.nodes?.[0];
      const accounts = business.programAccounts ?? business.programAccountsByBusinessId;
      return [
        business.bn9,
        business.legalName,
        nodes(accounts).map((pa) => [
          pa.bn15,
          pa.name,
          nodes(pa.transactions ?? pa.transactionsByProgramAccountId).map((t) => [
            t.transactionNumber,
            t.releasedOn,
            t.totalDutiesAndTaxes,
            (t.submittedBy ?? t.businessBySubmittedByBusinessId).legalName,
          ]),
        ]),
      ];
    },
  },
  {
    name: "broker page (erin: 50 clients + accounts)",
    persona: "erin",
    query: `query ClientPage { businesses(first: 50) { edges { node { bn9 legalName programAccounts(first: 5) { edges { node { bn15 name myRole } } } } }
      pageInfo { hasNextPage endCursor } } }`,
    postgraphile: `query ClientPage { postgraphileBenchBrokerClients(providerBn9: "${NORTHERN}", first: 50, orderBy: [LEGAL_NAME_ASC, PRIMARY_KEY_ASC]) {
      edges { node { bn9 legalName programAccountsByBusinessId(first: 5, orderBy: [RM_ASC, PRIMARY_KEY_ASC]) { edges { node { bn15 name rm } } } } }
      pageInfo { hasNextPage endCursor } } }`,
    digest(body) {
      const data = dataOf(body);
      const list = data.businesses ?? data.postgraphileBenchBrokerClients;
      return [
        nodes(list).map((b) => [b.bn9, b.legalName, nodes(b.programAccounts ?? b.programAccountsByBusinessId).map((pa) => [pa.bn15, pa.name])]),
        list.pageInfo.hasNextPage,
      ];
    },
  },
  {
    name: "dashboard page (erin: 50 clients x accounts x 5 transactions)",
    persona: "erin",
    // A business has a few program accounts: the page asks for up to 5 (without "first", the cost
    // limit counts a default page of 20 for every business).
    query: `query Dashboard { businesses(first: 50) { edges { node { bn9 legalName programAccounts(first: 5) { edges { node { bn15 name
      transactions(first: 5) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes } } } } } } } } } }`,
    postgraphile: `query Dashboard { postgraphileBenchBrokerClients(providerBn9: "${NORTHERN}", first: 50, orderBy: [LEGAL_NAME_ASC, PRIMARY_KEY_ASC]) {
      edges { node { bn9 legalName programAccountsByBusinessId(first: 5, orderBy: [RM_ASC, PRIMARY_KEY_ASC]) { edges { node { bn15 name
        transactionsSeenBy(providerBn9: "${NORTHERN}", first: 5, orderBy: [RELEASED_ON_DESC, PRIMARY_KEY_DESC]) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes } } } } } } } } } }`,
    digest(body) {
      const data = dataOf(body);
      return nodes(data.businesses ?? data.postgraphileBenchBrokerClients).map((b) => [
        b.bn9,
        b.legalName,
        nodes(b.programAccounts ?? b.programAccountsByBusinessId).map((pa) => [
          pa.bn15,
          pa.name,
          nodes(pa.transactions ?? pa.transactionsSeenBy).map((t) => [t.transactionNumber, t.releasedOn, t.totalDutiesAndTaxes]),
        ]),
      ]);
    },
  },
];

/**
 * Filing: carol (Editor of Maple Leaf's RM0001) files a one-line CAD released today. Every
 * declaration lands on the same account (its ledger lock) and takes the next number of the same
 * business (its sequence row): the contention a busy importer's filings meet. The answer selects
 * only what is the same for every declaration, so that every response can be compared with the
 * expected one: duty 6.5 % of 1,000.00 = 65.00, GST 5 % of 1,065.00 = 53.25, total 118.25.
 */
export const filing = {
  name: "fileDeclaration (carol: one line)",
  persona: "carol" as const,
  query: `mutation FileDeclaration($input: FileDeclarationInput!) { fileDeclaration(input: $input) { totalDutiesAndTaxes submittedBy { legalName } } }`,
  variables: (today: string) => ({
    input: {
      bn15: `${MAPLE_LEAF}RM0001`,
      releasedOn: today,
      lines: [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }],
    },
  }),
  expected: { data: { fileDeclaration: { totalDutiesAndTaxes: "118.25", submittedBy: { legalName: "Maple Leaf Windows & Doors Inc." } } } },
};

/** The business date in Ottawa (the agency's), as the API reckons "today". */
export const businessToday = (): string => new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });

/**
 * The pages the load benchmark serves, as a front end would ask for them, and who asks.
 * `npm run bench` serves each through the API and through the hand-written floor (floor.ts).
 */
export interface BenchCase {
  name: string;
  persona: "alice" | "erin";
  /** What a GraphQL client sends. */
  query: string;
  /** The floor's route for the same page. */
  floorPath: string;
  /** Reduces a response (API or floor) to what both must agree on. */
  digest(body: unknown): unknown;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const edges = (connection: Json): Json[] => connection?.edges?.map((e: Json) => e.node) ?? [];

export const cases: BenchCase[] = [
  {
    name: "importer page",
    persona: "alice",
    query: `query ImporterPage { business(bn9: "123456782") { bn9 legalName programAccounts { edges { node { bn15 name
      transactions(first: 20) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes submittedBy { legalName } } } } } } } } }`,
    floorPath: "/importer?bn9=123456782",
    digest: (b: Json) =>
      (b.data?.business ? edges(b.data.business.programAccounts).map((pa: Json) => [pa.bn15, edges(pa.transactions).map((t: Json) => t.transactionNumber)]) : b.accounts?.map((pa: Json) => [pa.bn15, pa.transactions.map((t: Json) => t.transactionNumber)])) ?? b,
  },
  {
    name: "broker 50-client page",
    persona: "erin",
    query: `query ClientPage { businesses(first: 50) { edges { node { bn9 legalName programAccounts(first: 5) { edges { node { bn15 name myRole } } } } }
      pageInfo { hasNextPage endCursor } } }`,
    floorPath: "/clients",
    digest: (b: Json) =>
      (b.data ? edges(b.data.businesses).map((x: Json) => [x.bn9, edges(x.programAccounts).map((pa: Json) => `${pa.bn15}:${pa.myRole}`)]) : b.clients?.map((x: Json) => [x.bn9, x.accounts.map((pa: Json) => `${pa.bn15}:${pa.myRole}`)])) ?? b,
  },
  {
    name: "dashboard page (50 clients x accounts x 5 transactions)",
    persona: "erin",
    // A business has a few program accounts: the page asks for up to 5 (without "first", the cost
    // limit counts a default page of 20 for every business).
    query: `query Dashboard { businesses(first: 50) { edges { node { bn9 legalName programAccounts(first: 5) { edges { node { bn15 name
      transactions(first: 5) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes } } } } } } } } } }`,
    floorPath: "/dashboard",
    digest: (b: Json) =>
      (b.data
        ? edges(b.data.businesses).map((x: Json) => [x.bn9, edges(x.programAccounts).map((pa: Json) => [pa.bn15, edges(pa.transactions).map((t: Json) => t.transactionNumber)])])
        : b.clients?.map((x: Json) => [x.bn9, x.accounts.map((pa: Json) => [pa.bn15, pa.transactions.map((t: Json) => t.transactionNumber)])])) ?? b,
  },
  {
    name: "transactions(first: 100)",
    persona: "erin",
    query: `query Recent { transactions(first: 100) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes
      programAccount { bn15 } submittedBy { legalName } } } pageInfo { hasNextPage endCursor } } }`,
    floorPath: "/transactions",
    digest: (b: Json) => (b.data ? edges(b.data.transactions).map((t: Json) => t.transactionNumber) : b.transactions?.map((t: Json) => t.transactionNumber)) ?? b,
  },
];

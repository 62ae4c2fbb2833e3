/**
 * `npm run demo:activity -- [URL] [--rounds N] [--pause MS]`
 *
 * Brings the demo world to life through the GraphQL API only, as its personas: CADs filed by the
 * importer (carol) and by its broker (frank, for Northern), a correction, another importer's CAD
 * (ivan), and payments by card, debit and online banking (alice, erin for Northern, ivan). Run it
 * while a dashboard or GraphiQL subscribes to `statementsUpdated` or `statementUpdated(bn15:)`, and
 * watch each step arrive. URL defaults to http://localhost:4000 (the API's address; its /graphql
 * endpoint is accepted too); the server must have its development token issuer on (it signs in
 * through /dev/personas, like GraphiQL's persona picker). When it cannot, it says whether the URL,
 * the server or its issuer is what is wrong.
 */
import { pathToFileURL } from "node:url";
import { baseUrl, fetchFrom, whyNoPersonas } from "./server-address.js";

export interface DemoActivityOptions {
  url: string;
  rounds: number;
  pauseMs: number;
  log: (line: string) => void;
}

const MAPLE_WINDOWS = "123456782RM0001";
const MAPLE_DOORS = "123456782RM0002";
const PRAIRIE = "711223347RM0001";
const NORTHERN = "876543216";

type Gql = (persona: string, query: string, variables?: Record<string, unknown>) => Promise<Record<string, any>>;

async function signIn(url: string): Promise<Gql> {
  const res = await fetchFrom(url, "/dev/personas");
  if (!res.ok) throw new Error(await whyNoPersonas(url, res, "demo:activity"));
  const { personas } = (await res.json()) as { personas: { username: string; token: string }[] };
  const tokens = new Map(personas.map((p) => [p.username, p.token]));
  return async (persona, query, variables = {}) => {
    const r = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.get(persona)}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await r.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) throw new Error(`${persona}: ${body.errors.map((e) => `${e.extensions?.code ?? "ERROR"} ${e.message}`).join("; ")}`);
    return body.data!;
  };
}

const FILE = `mutation DemoFileDeclaration($input: FileDeclarationInput!) { fileDeclaration(input: $input) { transactionNumber totalDutiesAndTaxes submittedBy { legalName } } }`;
const AMEND = `mutation DemoAmendDeclaration($input: AmendDeclarationInput!) { amendDeclaration(input: $input) { transactionNumber totalDutiesAndTaxes currentVersion { kind status } } }`;
const PAY = `mutation DemoMakePayment($input: MakePaymentInput!) { makePayment(input: $input) { replayed payment { amount method reference } } }`;
const STATEMENT = `query DemoStatementAfter($bn15: String!) { programAccount(bn15: $bn15) { statements(first: 1) { edges { node { cycleEnd view visibleCharges totalPayable } } } } }`;

/** The business date in Ottawa (the agency's). */
const today = () => new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });

function lines(round: number, kind: "windows" | "doors" | "parts") {
  const value = (base: number) => (base + round * 137.25).toFixed(2);
  if (kind === "windows") {
    return [
      { classificationCode: "7610100000", description: "Aluminium window frames", valueForDuty: value(8400), tariffTreatment: "2", customsDutyRate: "6.5" },
      { classificationCode: "7007190000", description: "Tempered safety glass panels", valueForDuty: value(2650), tariffTreatment: "2", customsDutyRate: "6" },
    ];
  }
  if (kind === "doors") return [{ classificationCode: "4418200000", description: "Wooden doors and frames", valueForDuty: value(5200), tariffTreatment: "10", customsDutyRate: "0" }];
  return [{ classificationCode: "8432900000", description: "Agricultural sprayer parts", valueForDuty: value(3900), tariffTreatment: "2", customsDutyRate: "2.5" }];
}

export async function runDemoActivity(opts: DemoActivityOptions): Promise<{ steps: number }> {
  const gql = await signIn(baseUrl(opts.url));
  const pause = () => new Promise((r) => setTimeout(r, opts.pauseMs));
  const run = `${Date.now().toString(36)}`;
  let steps = 0;
  const after = async (persona: string, bn15: string, what: string) => {
    const s = (await gql(persona, STATEMENT, { bn15 })).programAccount.statements.edges[0]?.node;
    const money = s ? (s.view === "FULL" ? `total payable ${s.totalPayable}` : `${s.visibleCharges} visible to ${persona}`) : "no statement";
    opts.log(`${what} -> statement of ${bn15} ending ${s?.cycleEnd ?? "?"}: ${money}`);
    steps++;
    await pause();
  };
  for (let round = 1; round <= opts.rounds; round++) {
    opts.log(`round ${round} of ${opts.rounds}`);
    const carol = (await gql("carol", FILE, { input: { bn15: MAPLE_WINDOWS, releasedOn: today(), lines: lines(round, "windows") } })).fileDeclaration;
    await after("carol", MAPLE_WINDOWS, `carol filed ${carol.transactionNumber} for Maple Leaf (${carol.totalDutiesAndTaxes})`);

    const frank = (await gql("frank", FILE, { input: { bn15: MAPLE_DOORS, releasedOn: today(), lines: lines(round, "doors"), asBusiness: NORTHERN } })).fileDeclaration;
    await after("frank", MAPLE_DOORS, `frank filed ${frank.transactionNumber} as ${frank.submittedBy.legalName} (${frank.totalDutiesAndTaxes})`);

    const corrected = (
      await gql("frank", AMEND, {
        input: { transactionNumber: frank.transactionNumber, reason: "Value for duty corrected from the commercial invoice", lines: lines(round + 2, "doors"), asBusiness: NORTHERN },
      })
    ).amendDeclaration;
    await after("frank", MAPLE_DOORS, `frank corrected ${corrected.transactionNumber}: ${corrected.currentVersion.kind} ${corrected.currentVersion.status} (${corrected.totalDutiesAndTaxes})`);

    const ivan = (await gql("ivan", FILE, { input: { bn15: PRAIRIE, releasedOn: today(), lines: lines(round, "parts") } })).fileDeclaration;
    await after("ivan", PRAIRIE, `ivan filed ${ivan.transactionNumber} for Prairie Imports (${ivan.totalDutiesAndTaxes})`);

    try {
      const card = (await gql("alice", PAY, { input: { bn15: MAPLE_WINDOWS, amount: "250.00", method: "CREDIT_CARD", instrumentLast4: "4242", idempotencyKey: `demo-${run}-${round}-card` } })).makePayment;
      await after("alice", MAPLE_WINDOWS, `alice paid ${card.payment.amount} by credit card (${card.payment.reference})`);
    } catch (err) {
      // The cycle's card allowance (4,999.99) may be used up by earlier runs: that refusal is part of the demo.
      opts.log(`alice's card payment was refused: ${(err as Error).message}`);
    }

    const erin = (await gql("erin", PAY, { input: { bn15: MAPLE_DOORS, amount: "75.00", method: "DEBIT_CARD", instrumentLast4: "7301", idempotencyKey: `demo-${run}-${round}-erin`, asBusiness: NORTHERN } })).makePayment;
    await after("erin", MAPLE_DOORS, `erin paid ${erin.payment.amount} by debit card for Maple Leaf, as Northern`);

    const bank = (await gql("ivan", PAY, { input: { bn15: PRAIRIE, amount: "500.00", method: "ONLINE_BANKING", idempotencyKey: `demo-${run}-${round}-bank` } })).makePayment;
    await after("ivan", PRAIRIE, `ivan paid ${bank.payment.amount} by online banking, quoting ${PRAIRIE}`);
  }
  return { steps };
}

function parseArgs(argv: string[]): Omit<DemoActivityOptions, "log"> {
  const opts = { url: "http://localhost:4000", rounds: 1, pauseMs: 1500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--rounds") opts.rounds = Number(argv[++i]);
    else if (a === "--pause") opts.pauseMs = Number(argv[++i]);
    else if (/^https?:\/\//.test(a)) opts.url = a;
    else throw new Error(`Usage: npm run demo:activity -- [URL] [--rounds N] [--pause MS]; did not understand "${a}"`);
  }
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error("--rounds must be a whole number of at least 1");
  if (!Number.isInteger(opts.pauseMs) || opts.pauseMs < 0) throw new Error("--pause must be a number of milliseconds");
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    console.log(`demo activity on ${opts.url} (subscribe to statementsUpdated in GraphiQL to watch it)`);
    const { steps } = await runDemoActivity({ ...opts, log: (line) => console.log(line) });
    console.log(`done: ${steps} changes`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

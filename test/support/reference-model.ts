/**
 * A small reference model of who sees what, written from the domain spec (shared/domain.md: People
 * and roles; Relationships; Transactions) and the money issue's rule ("a provider sees a statement's
 * account-wide totals only if its grant lets it see every transaction of the account; otherwise it
 * gets the statement's dates and status and the subtotal of what it may see. Payments likewise:
 * those its own business made; all only with full visibility"), the money issue's second rule ("every amount
 * a viewer receives, in any field, text, notice or event, must follow from what that viewer may see":
 * each total is the sum of the journal lines the viewer sees; what needs the whole journal is shown
 * only to full viewers; payment details never to Readers) and nothing else: plain objects, no
 * SQL, no code shared with src/auth. The property-based test checks that PostgreSQL answers exactly
 * what this answers.
 */
export type ProgramRoleName = "PAM" | "EDITOR" | "READER";
export type RoleName = "BAM" | ProgramRoleName | "EXPIRED";

export interface World {
  businesses: { id: string; provider: boolean }[];
  accounts: { id: string; business: string }[];
  users: { id: string }[];
  memberships: { user: string; business: string; bam: boolean; active: boolean }[];
  programRoles: { user: string; account: string; role: ProgramRoleName }[];
  relationships: {
    id: string;
    client: string;
    provider: string;
    status: "PENDING" | "ACTIVE" | "REJECTED" | "REVOKED";
    level: "BUSINESS" | "PROGRAM_ACCOUNT" | null;
    role: "EDITOR" | "READER" | null;
    expiresAt: Date | null;
    listed: string[];
    seeProvider: boolean;
    seeClient: boolean;
    seeOthers: boolean;
  }[];
  groups: { id: string; provider: string; deleted: boolean; clients: string[]; assignments: { user: string; role: "EDITOR" | "READER" }[] }[];
  /** Each version carries the duties and taxes it posted on its account's statement (cents). */
  transactions: { id: string; account: string; submitter: string; versions: { id: string; submitter: string; posted?: number }[] }[];
  /** Payments, each by a business (the importer or a provider paying for it), of `amount` cents. */
  payments?: { id: string; account: string; payer: string; amount?: number }[];
  /** AMPS penalties the agency assessed on an account (cents). */
  penalties?: { id: string; account: string; amount: number }[];
  /** Ruling requests: on an account, submitted by a business (the importer, its broker, or another). */
  rulings: { id: string; account: string; submitter: string }[];
  /** Agency officers: people with the platform role, linked to no business. */
  officers: { id: string }[];
}

const strength: Record<RoleName, number> = { EXPIRED: 0, READER: 1, EDITOR: 2, PAM: 3, BAM: 4 };
const lesser = (a: RoleName, b: RoleName) => (strength[a] <= strength[b] ? a : b);

/** One way a person reaches an account: a role, and which submitters' transactions it lets through. */
export interface ModelGrant {
  role: RoleName;
  /** null: all transactions of the account. */
  sees: ((submitter: string) => boolean) | null;
  /** Sees every transaction of the account (an own path, or a provider seeing all three kinds). */
  full: boolean;
  /** The service provider the grant runs through (null for the owner's own people). */
  provider: string | null;
}

export function grantsOf(w: World, user: string, account: string, now: Date): ModelGrant[] {
  const pa = w.accounts.find((a) => a.id === account)!;
  const member = (business: string) => w.memberships.find((m) => m.user === user && m.business === business && m.active);
  const grants: ModelGrant[] = [];
  // The owner's BAM: full access to the business and all its program accounts.
  if (member(pa.business)?.bam) grants.push({ role: "BAM", sees: null, full: true, provider: null });
  // A role on the program account, as an employee of the business.
  for (const r of w.programRoles) if (r.user === user && r.account === account && member(pa.business)) grants.push({ role: r.role, sees: null, full: true, provider: null });
  // A service provider's people, through an active (or ended) relationship with the owner.
  for (const rel of w.relationships) {
    if (rel.client !== pa.business || (rel.status !== "ACTIVE" && rel.status !== "REVOKED") || !rel.level || !rel.role) continue;
    if (rel.level === "PROGRAM_ACCOUNT" && !rel.listed.includes(account)) continue;
    const m = member(rel.provider);
    if (!m) continue;
    // Inside the provider: its BAM sees every client; other employees through client groups, with
    // the lesser of the relationship's role and their assignment.
    const roles: RoleName[] = [];
    if (m.bam) roles.push(rel.role);
    else
      for (const g of w.groups)
        if (g.provider === rel.provider && !g.deleted && g.clients.includes(rel.client))
          for (const a of g.assignments) if (a.user === user) roles.push(lesser(rel.role, a.role));
    if (!roles.length) continue;
    const ended = rel.status === "REVOKED" || (rel.expiresAt !== null && rel.expiresAt.getTime() <= now.getTime());
    if (ended) {
      // Expired users: read-only, only what the provider submitted, on accounts it filed on.
      const filedOn = w.transactions.some((t) => t.account === account && t.submitter === rel.provider);
      if (!filedOn) continue;
      for (const _ of roles) grants.push({ role: "EXPIRED", sees: (s) => s === rel.provider, full: false, provider: rel.provider });
      continue;
    }
    const sees = (s: string) => (s === rel.provider ? rel.seeProvider : s === rel.client ? rel.seeClient : rel.seeOthers);
    const full = rel.seeProvider && rel.seeClient && rel.seeOthers;
    for (const role of roles) grants.push({ role, sees, full, provider: rel.provider });
  }
  return grants;
}

export function strongestRole(w: World, user: string, account: string, now: Date): RoleName | null {
  const roles = grantsOf(w, user, account, now).map((g) => g.role);
  return roles.length ? roles.reduce((a, b) => (strength[a] >= strength[b] ? a : b)) : null;
}

/** Every role on an account may read its transactions (Reader and Expired included), subject to the visibility rules. */
export function seesTransaction(w: World, user: string, transaction: string, now: Date, version?: string): boolean {
  const t = w.transactions.find((x) => x.id === transaction)!;
  const v = version ? t.versions.find((x) => x.id === version)! : null;
  return grantsOf(w, user, t.account, now).some((g) => g.sees === null || (g.sees(t.submitter) && (!v || g.sees(v.submitter))));
}

/** A business's profile: its own people, and providers whose role on one of its accounts reads profiles (not Expired). */
export function seesProfile(w: World, user: string, business: string, now: Date): boolean {
  if (w.memberships.some((m) => m.user === user && m.business === business && m.active)) return true;
  return w.accounts.filter((a) => a.business === business).some((a) => grantsOf(w, user, a.id, now).some((g) => g.role !== "EXPIRED"));
}

/**
 * The version whose amounts a transaction shows the viewer (its `totalDutiesAndTaxes`): the latest
 * they may see (front-end docs: "the latest accepted version you may see"; a correction filed by a
 * business the viewer's grant hides is not theirs to see, nor is the total it set). Every version of
 * these worlds is accepted. null when the viewer does not see the transaction.
 */
export function shownVersion(w: World, user: string, transaction: string, now: Date): string | null {
  const t = w.transactions.find((x) => x.id === transaction)!;
  return t.versions.filter((v) => seesTransaction(w, user, transaction, now, v.id)).at(-1)?.id ?? null;
}

/**
 * A ruling request is seen like a transaction, judged on the business that submitted it (the issue:
 * "visibility follows the submitter business like transactions"), by every role on the account that
 * reads it; never by Expired users, who read only the transactions their business submitted.
 */
export function seesRuling(w: World, user: string, ruling: string, now: Date): boolean {
  const r = w.rulings.find((x) => x.id === ruling)!;
  return grantsOf(w, user, r.account, now).some((g) => g.role !== "EXPIRED" && (g.sees === null || g.sees(r.submitter)));
}

/** The agency's queue: every ruling request, for agency officers; nothing for anyone else. */
export function queueOf(w: World, user: string): string[] {
  return w.officers.some((o) => o.id === user) ? w.rulings.map((r) => r.id) : [];
}

/** Statements and payments are for every role but Expired (who keeps only the provider's transactions). */
const readsMoney = (g: ModelGrant) => g.role !== "EXPIRED";

/** FULL with a grant seeing every transaction, RESTRICTED with another that reads statements, null without. */
export function statementView(w: World, user: string, account: string, now: Date): "FULL" | "RESTRICTED" | null {
  const grants = grantsOf(w, user, account, now).filter(readsMoney);
  if (!grants.length) return null;
  return grants.some((g) => g.full) ? "FULL" : "RESTRICTED";
}

/** A payment: with full visibility, every one; otherwise those the provider's own business made. */
export function seesPayment(w: World, user: string, payment: string, now: Date): boolean {
  const p = w.payments!.find((x) => x.id === payment)!;
  return grantsOf(w, user, p.account, now).filter(readsMoney).some((g) => g.full || p.payer === g.provider);
}

/** A version's line on the statement: seen with full visibility, or when the transaction and that version are. */
export function seesVersionPosting(w: World, user: string, transaction: string, version: string, now: Date): boolean {
  const t = w.transactions.find((x) => x.id === transaction)!;
  const v = t.versions.find((x) => x.id === version)!;
  return grantsOf(w, user, t.account, now).filter(readsMoney).some((g) => g.full || g.sees === null || (g.sees(t.submitter) && g.sees(v.submitter)));
}

/** The statement's subtotal for the viewer: what the versions they may see posted. */
export function visibleCharges(w: World, user: string, account: string, now: Date): number {
  return w.transactions
    .filter((t) => t.account === account)
    .flatMap((t) => t.versions.filter((v) => seesVersionPosting(w, user, t.id, v.id, now)).map((v) => v.posted ?? 0))
    .reduce((a, b) => a + b, 0);
}

/** A grant's role lets it read payment details (references, card digits): every role but Reader and Expired. */
const readsDetails = (g: ModelGrant) => g.role === "BAM" || g.role === "PAM" || g.role === "EDITOR";

/** A payment's line shows its reference to the viewer: they see the payment, and one of their grants reads details. */
export function seesPaymentDetails(w: World, user: string, payment: string, now: Date): boolean {
  const p = w.payments!.find((x) => x.id === payment)!;
  return seesPayment(w, user, payment, now) && grantsOf(w, user, p.account, now).some(readsDetails);
}

/** Penalties (and refunds) are the whole account's money with the agency: seen with a full view only. */
export function seesPenalty(w: World, user: string, penalty: string, now: Date): boolean {
  const p = w.penalties!.find((x) => x.id === penalty)!;
  return statementView(w, user, p.account, now) === "FULL";
}

export interface StatementTotals {
  currentCharges: number;
  corrections: number;
  credits: number;
  interestAndPenalties: number;
  payments: number;
  visibleCharges: number;
  /** Only with a FULL view: the whole journal's balance (the statement opens with nothing carried). */
  totalPayable: number | null;
}

/**
 * Every total of the account's statement as the viewer receives it, computed from the rows this model
 * lets them see and nothing else: one meaning per name in both views. totalPayable needs every row.
 */
export function statementTotals(w: World, user: string, account: string, now: Date): StatementTotals {
  const lines: { kind: "CHARGE" | "CORRECTION" | "PAYMENT" | "PENALTY"; amount: number }[] = [];
  const all: number[] = [];
  for (const t of w.transactions.filter((x) => x.account === account)) {
    for (const [k, v] of t.versions.entries()) {
      all.push(v.posted ?? 0);
      if (seesVersionPosting(w, user, t.id, v.id, now)) lines.push({ kind: k === 0 ? "CHARGE" : "CORRECTION", amount: v.posted ?? 0 });
    }
  }
  for (const p of (w.payments ?? []).filter((x) => x.account === account)) {
    all.push(-(p.amount ?? 0));
    if (seesPayment(w, user, p.id, now)) lines.push({ kind: "PAYMENT", amount: -(p.amount ?? 0) });
  }
  for (const p of (w.penalties ?? []).filter((x) => x.account === account)) {
    all.push(p.amount);
    if (seesPenalty(w, user, p.id, now)) lines.push({ kind: "PENALTY", amount: p.amount });
  }
  const sum = (f: (l: (typeof lines)[number]) => boolean) => lines.filter(f).reduce((n, l) => n + l.amount, 0);
  const charges = sum((l) => l.kind === "CHARGE");
  const corrections = sum((l) => l.kind === "CORRECTION" && l.amount > 0);
  const credits = 0 - sum((l) => l.kind === "CORRECTION" && l.amount < 0);
  return {
    currentCharges: charges, corrections, credits, interestAndPenalties: sum((l) => l.kind === "PENALTY"), payments: 0 - sum((l) => l.kind === "PAYMENT"),
    visibleCharges: charges + corrections - credits,
    totalPayable: statementView(w, user, account, now) === "FULL" ? all.reduce((a, b) => a + b, 0) : null,
  };
}

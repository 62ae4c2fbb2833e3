import type { DataSource, EntityManager } from "typeorm";
import { personas, personaSubject } from "../auth/personas.js";
import { addDays, businessDate, cycleFor, type BillingCycle } from "../common/billing.js";
import {
  AccessRequestStatus, NotificationKind, PaymentMethod, PlatformRole, ProgramRole, ProviderRole, RelationshipLevel,
  RelationshipStatus, RulingKind, RulingStatus, SecurityKind, TransactionVersionStatus,
} from "../common/enums.js";
import { luhnCheckDigit } from "../common/identifiers.js";
import { formatCents, toCents } from "../common/money.js";
import { query, sql } from "../db/sql.js";
import type { Logger } from "../logger.js";
import { EmployeeAccessRequest, EmployeeAccessRequestAccount } from "../modules/access-request/access-request.entity.js";
import { AgencyAffinityRecord } from "../modules/agency/agency.entity.js";
import { AuditEvent } from "../modules/audit/audit.entity.js";
import { Business } from "../modules/business/business.entity.js";
import { ClientGroup, ClientGroupAssignment, ClientGroupClient } from "../modules/client-group/client-group.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "../modules/membership/membership.entity.js";
import { Notification } from "../modules/notification/notification.entity.js";
import { recordPayment } from "../modules/payment/payment.service.js";
import { ProgramAccount } from "../modules/program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "../modules/relationship/relationship.entity.js";
import { RulingAttachment, RulingRequest } from "../modules/ruling/ruling.entity.js";
import { FinancialSecurity } from "../modules/security/security.entity.js";
import { issueAccountStatements } from "../modules/statement/issuing.js";
import { amendDeclaration, fileDeclaration, type DeclarationLine } from "../modules/transaction/filing.js";
import { Transaction } from "../modules/transaction/transaction.entity.js";
import { User } from "../modules/user/user.entity.js";

export const DEMO_BN = {
  mapleLeaf: "123456782",
  northern: `87654321${luhnCheckDigit("87654321")}`,
  oldBorder: `55544433${luhnCheckDigit("55544433")}`,
  prairie: `71122334${luhnCheckDigit("71122334")}`,
  coastal: `66677788${luhnCheckDigit("66677788")}`,
  laurentian: `44455566${luhnCheckDigit("44455566")}`,
} as const;

/** The agency's answers for the not-yet-registered demo business (for trying registerBusiness). */
export const LAURENTIAN_AFFINITY = {
  rm: "RM0001",
  recentTransactionNumber: "60006000000012",
  recentTransactionTotal: "1843.27",
  lastPaymentAmount: "2210.05",
  lastStatementBalance: "0.00",
} as const;

/**
 * When the demo's transactions were released: days after the start of each of the three issued
 * cycles, then of the open one. Every date is derived from the seed's "today" (demoCalendar), so the
 * open cycle, the issued ones and the expired relationship mean the same whenever the seed runs.
 */
const RELEASE_OFFSETS = [
  [2, 10, 18, 27],
  [1, 12, 20, 27],
  [2, 11, 19, 26],
  [0, 2],
];

/**
 * The demo's calendar as of `today`: the open cycle is the earliest one not yet issued (the current
 * cycle from the 25th; before it, between the 18th and the 25th, the previous one, still open), and
 * the three cycles before it are issued. The open cycle's first 8 days (what the demo releases on)
 * are always past: it starts on the 18th and is open only from the 25th, or is the previous cycle.
 */
export function demoCalendar(today: string): { issued: BillingCycle[]; open: BillingCycle } {
  const previous = (c: BillingCycle) => cycleFor(addDays(c.start, -1));
  const current = cycleFor(today);
  const open = today >= previous(current).issueDate ? current : previous(current);
  const c3 = previous(open);
  const c2 = previous(c3);
  return { issued: [previous(c2), c2, c3], open };
}

const PRODUCTS = [
  { hs: "7610100000", description: "Aluminium window frames", rate: "6.5" },
  { hs: "4418200000", description: "Wooden doors and frames", rate: "0" },
  { hs: "7007190000", description: "Tempered safety glass panels", rate: "6" },
  { hs: "8302410000", description: "Door hinges and fittings, base metal", rate: "3.5" },
];

/** Loads the demo world of the domain spec once; a second call finds it and does nothing. */
export async function seedDemo(db: DataSource, logger: Logger, now = new Date()): Promise<boolean> {
  return db.transaction(async (em) => {
    // Serialise concurrent starts on the same database.
    await em.query("SELECT pg_advisory_xact_lock(824001)");
    if (await em.getRepository(Business).existsBy({ bn9: DEMO_BN.mapleLeaf })) return false;
    await insertDemo(em, now);
    logger.info("demo world seeded");
    return true;
  });
}

async function insertDemo(em: EntityManager, now: Date) {
  const today = businessDate(now);
  const calendar = demoCalendar(today);
  const save = <T extends object>(entity: new () => T, values: Partial<T>): Promise<T> =>
    em.getRepository(entity).save(Object.assign(new entity(), values) as T);

  // People
  const users: Record<string, User> = {};
  for (const p of personas.filter((x) => x.seeded !== false)) {
    users[p.username] = await save(User, {
      subject: personaSubject(p.username),
      username: p.username,
      displayName: p.displayName,
      email: p.email,
      platformRole: p.platformRole === "AGENCY_OFFICER" ? PlatformRole.AGENCY_OFFICER : null,
    });
  }
  const u = (name: string) => users[name]!;

  // Businesses as the agency knows them
  const business = (bn9: string, legalName: string, addressLine: string, city: string, province: string, postalCode: string, asec: string, isServiceProvider: boolean, registered: boolean) =>
    save(Business, { bn9, legalName, addressLine, city, province, postalCode, country: "CA", asec, isServiceProvider, registeredAt: registered ? new Date("2024-05-13T14:00:00Z") : null });
  const maple = await business(DEMO_BN.mapleLeaf, "Maple Leaf Windows & Doors Inc.", "1200 Industrial Parkway", "Mississauga", "ON", "L5T 1A1", "10001", false, true);
  const northern = await business(DEMO_BN.northern, "Northern Customs Brokers Ltd.", "45 Front Street West", "Toronto", "ON", "M5J 1E6", "20002", true, true);
  const oldBorder = await business(DEMO_BN.oldBorder, "Old Border Brokerage", "9 Riverside Drive", "Windsor", "ON", "N9A 5K3", "30003", true, true);
  const prairie = await business(DEMO_BN.prairie, "Prairie Imports Ltd.", "300 Portage Avenue", "Winnipeg", "MB", "R3C 0B9", "40004", false, true);
  const coastal = await business(DEMO_BN.coastal, "Coastal Freight Services Inc.", "800 Waterfront Road", "Vancouver", "BC", "V6C 3T4", "50005", true, true);

  const account = (b: Business, rm: string, name: string) => save(ProgramAccount, { businessId: b.id, rm, bn15: `${b.bn9}${rm}`, name });
  const mapleWindows = await account(maple, "RM0001", "Windows");
  const mapleDoors = await account(maple, "RM0002", "Doors");
  const prairieMain = await account(prairie, "RM0001", "General imports");
  await account(northern, "RM0001", "Own imports");

  // Memberships and roles
  const member = (user: User, b: Business, isBam: boolean) => save(BusinessMembership, { userId: user.id, businessId: b.id, isBam, grantedById: null });
  await member(u("alice"), maple, true);
  await member(u("bob"), maple, false);
  await member(u("carol"), maple, false);
  await member(u("dave"), maple, false);
  await member(u("erin"), northern, true);
  await member(u("frank"), northern, false);
  await member(u("gina"), oldBorder, false);
  await member(u("ivan"), prairie, true);
  const role = (user: User, pa: ProgramAccount, r: ProgramRole) => save(ProgramRoleAssignment, { userId: user.id, programAccountId: pa.id, role: r, grantedById: u("alice").id });
  await role(u("bob"), mapleWindows, ProgramRole.PAM);
  await role(u("carol"), mapleWindows, ProgramRole.EDITOR);
  await role(u("dave"), mapleDoors, ProgramRole.READER);

  // Relationships with service providers
  const yearFromNow = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const northernMaple = await save(BusinessRelationship, {
    clientBusinessId: maple.id, providerBusinessId: northern.id, status: RelationshipStatus.ACTIVE,
    level: RelationshipLevel.BUSINESS, role: ProviderRole.EDITOR, expiresAt: yearFromNow,
    seeSubmittedByProvider: true, seeSubmittedByClient: true, seeSubmittedByOthers: false,
    requestComment: "Northern Customs Brokers files your CADs; please delegate accounting access.",
    requestedById: u("erin").id, decidedById: u("alice").id, decidedAt: new Date("2024-06-01T15:00:00Z"),
  });
  const northernPrairie = await save(BusinessRelationship, {
    clientBusinessId: prairie.id, providerBusinessId: northern.id, status: RelationshipStatus.ACTIVE,
    level: RelationshipLevel.PROGRAM_ACCOUNT, role: ProviderRole.READER, expiresAt: null,
    seeSubmittedByProvider: true, seeSubmittedByClient: true, seeSubmittedByOthers: true,
    requestComment: "Read access for reconciliation.", requestedById: u("erin").id, decidedById: u("ivan").id,
    decidedAt: new Date("2024-07-02T15:00:00Z"),
  });
  await save(RelationshipProgramAccount, { relationshipId: northernPrairie.id, programAccountId: prairieMain.id });
  await save(BusinessRelationship, {
    clientBusinessId: maple.id, providerBusinessId: oldBorder.id, status: RelationshipStatus.ACTIVE,
    // Expired when the open cycle began: Old Border filed for Maple Leaf in the issued cycles only.
    level: RelationshipLevel.BUSINESS, role: ProviderRole.EDITOR, expiresAt: new Date(`${calendar.open.start}T05:00:00Z`),
    seeSubmittedByProvider: true, seeSubmittedByClient: false, seeSubmittedByOthers: false,
    requestComment: "Customs brokerage services.", requestedById: u("gina").id, decidedById: u("alice").id,
    decidedAt: new Date("2024-05-20T15:00:00Z"),
  });
  await save(BusinessRelationship, {
    clientBusinessId: maple.id, providerBusinessId: coastal.id, status: RelationshipStatus.REVOKED,
    level: RelationshipLevel.BUSINESS, role: ProviderRole.READER, expiresAt: null,
    seeSubmittedByProvider: true, seeSubmittedByClient: false, seeSubmittedByOthers: false,
    requestComment: "Freight forwarding.", requestedById: null, decidedById: u("alice").id,
    decidedAt: new Date("2024-05-25T15:00:00Z"), endedById: u("alice").id, endedAt: new Date(`${calendar.open.start}T15:00:00Z`),
  });
  await save(BusinessRelationship, {
    clientBusinessId: prairie.id, providerBusinessId: coastal.id, status: RelationshipStatus.PENDING,
    level: null, role: null, requestComment: "We would like to file your CADs from the port of Vancouver.",
  });

  // Client groups inside the providers
  const group = async (provider: Business, name: string, clients: Business[], assignees: [User, ProviderRole][]) => {
    const g = await save(ClientGroup, { providerBusinessId: provider.id, name, normalizedName: name.trim().toLowerCase(), deletedAt: null });
    for (const c of clients) await save(ClientGroupClient, { groupId: g.id, clientBusinessId: c.id });
    for (const [user, r] of assignees) await save(ClientGroupAssignment, { groupId: g.id, userId: user.id, role: r });
    return g;
  };
  await group(northern, "Ontario manufacturers", [maple], [[u("frank"), ProviderRole.EDITOR]]);
  await group(northern, "Prairie clients", [prairie], []);
  await group(oldBorder, "Maple Leaf account", [maple], [[u("gina"), ProviderRole.EDITOR]]);

  // The money: three issued billing cycles and the open one, replayed day by day through the ledger
  // itself (filing, correction, payments, issuing), so that every statement is the sum of its
  // postings and every version adds up. History is replayed quietly: no notifications, no audit trail.
  const submitters = {
    maple: { business: maple, user: u("carol") },
    northern: { business: northern, user: u("frank") },
    oldBorder: { business: oldBorder, user: u("gina") },
    coastal: { business: coastal, user: null },
    prairie: { business: prairie, user: u("ivan") },
  };
  const plans: { pa: ProgramAccount; rotation: (keyof typeof submitters)[] }[] = [
    { pa: mapleWindows, rotation: ["maple", "northern", "oldBorder", "coastal"] },
    { pa: mapleDoors, rotation: ["northern", "maple", "coastal", "oldBorder"] },
    { pa: prairieMain, rotation: ["prairie", "northern"] },
  ];
  const cycles = [...calendar.issued, calendar.open];
  const releases = cycles.flatMap((c, ci) => RELEASE_OFFSETS[ci]!.map((d) => addDays(c.start, d)));
  type Step = { on: string; order: number; run: () => Promise<unknown> };
  const steps: Step[] = [];
  const filed = new Map<string, Transaction>(); // by account and release index
  let k = 0;
  for (const plan of plans) {
    for (const [i, releasedOn] of releases.entries()) {
      const who = submitters[plan.rotation[i % plan.rotation.length]!];
      const lines: DeclarationLine[] = Array.from({ length: 1 + (k % 3) }, (_, j) => {
        const product = PRODUCTS[(k + j) % PRODUCTS.length]!;
        return {
          classificationCode: product.hs, description: product.description, tariffTreatment: "2", customsDutyRate: product.rate,
          valueForDuty: formatCents(BigInt(125_000 + ((k * 7919 + j * 104_729) % 1_850_000))),
          sima: j === 1 && k % 5 === 0 ? "312.40" : "0.00", excise: "0.00",
        };
      });
      k++;
      // Filed the day of release (the charge goes on the statement of the release's cycle).
      steps.push({
        on: releasedOn, order: 0,
        run: async () => {
          const { transaction } = await fileDeclaration(em, { programAccountId: plan.pa.id, filer: who.business, userId: who.user?.id ?? null, releasedOn, lines, today: releasedOn });
          filed.set(`${plan.pa.id}|${i}`, transaction);
        },
      });
    }
  }
  /** The lines of a declaration as first filed, in order (what an amendment starts from). */
  const originalLines = (transactionId: string) =>
    query<DeclarationLine>(em, sql`SELECT l.classification_code AS "classificationCode", l.description, l.value_for_duty AS "valueForDuty",
        l.tariff_treatment AS "tariffTreatment", l.customs_duty_rate::text AS "customsDutyRate", l.sima, l.excise
      FROM transaction_lines l JOIN transaction_versions v ON v.id = l.version_id WHERE v.transaction_id = ${transactionId}::uuid AND v.version_no = 1 ORDER BY l.line_no`);
  // Northern corrects the tariff classification of line 1 of its first Maple Leaf doors declaration, 3 days later.
  steps.push({
    on: addDays(releases[0]!, 3), order: 1,
    run: async () => {
      const t = filed.get(`${mapleDoors.id}|0`)!;
      const [first] = await originalLines(t.id);
      const hinges = PRODUCTS[3]!;
      await amendDeclaration(em, {
        transactionId: t.id, actingBusinessId: northern.id, userId: u("frank").id, reason: "Corrected tariff classification of line 1", today: addDays(releases[0]!, 3),
        lines: [{ ...first!, classificationCode: hinges.hs, description: hinges.description, customsDutyRate: hinges.rate, valueForDuty: formatCents(toCents(first!.valueForDuty)) }],
      });
    },
  });
  // Each issued cycle is issued on its issue date; its total payable is paid on the due date (Prairie
  // pays the first one 5 days late, so interest shows on the next statement), when that has come.
  for (const [ci, c] of calendar.issued.entries()) {
    for (const plan of plans) {
      steps.push({ on: c.issueDate, order: 3, run: () => issueAccountStatements(em, plan.pa.id, { today: c.issueDate, now: new Date(`${c.issueDate}T10:00:00Z`), actorUserId: null, quiet: true }) });
      const late = plan.pa.id === prairieMain.id && ci === 0;
      const paidOn = late ? addDays(c.dueDate, 5) : c.dueDate;
      if (paidOn > today) continue;
      steps.push({
        on: paidOn, order: 2,
        run: async () => {
          const [s] = await query<{ total_payable: string }>(em, sql`SELECT total_payable FROM statements WHERE program_account_id = ${plan.pa.id}::uuid AND cycle_end = ${c.end}::date`);
          const amount = toCents(s!.total_payable);
          if (amount <= 0n) return;
          const online = ci % 2 === 0;
          await recordPayment(em, {
            programAccountId: plan.pa.id, payerBusinessId: plan.pa.businessId, userId: plan.pa.businessId === maple.id ? u("alice").id : u("ivan").id,
            amount, method: online ? PaymentMethod.ONLINE_BANKING : PaymentMethod.PRE_AUTHORIZED_DEBIT, idempotencyKey: `seed-${plan.pa.bn15}-${c.end}`,
            instrumentLast4: online ? "4417" : "0093", today: paidOn, now: new Date(`${paidOn}T15:00:00Z`),
          });
        },
      });
    }
  }
  // A broker may pay for its client: Northern pays 500.00 towards Maple Leaf windows early in the open cycle.
  const northernPaysOn = addDays(calendar.open.start, 3);
  steps.push({
    on: northernPaysOn, order: 2,
    run: () => recordPayment(em, {
      programAccountId: mapleWindows.id, payerBusinessId: northern.id, userId: u("frank").id, amount: 50_000n, method: PaymentMethod.DEBIT_CARD,
      idempotencyKey: "seed-northern-for-maple", instrumentLast4: "7301", today: northernPaysOn, now: new Date(`${northernPaysOn}T16:00:00Z`),
    }),
  });
  // An adjustment waiting in the agency's queue (olga's to accept or reject): today, alice declares that
  // the value for duty of Maple Leaf's first own doors declaration left out the freight to the border.
  steps.push({
    on: today, order: 4,
    run: async () => {
      const t = filed.get(`${mapleDoors.id}|1`)!;
      const lines = await originalLines(t.id);
      const freight = 84_250n; // 842.50 on line 1
      const { version } = await amendDeclaration(em, {
        transactionId: t.id, actingBusinessId: maple.id, userId: u("alice").id, reason: "Value for duty of line 1 left out the freight to the border (842.50)", today,
        lines: lines.map((l, i) => ({ ...l, valueForDuty: formatCents(toCents(l.valueForDuty) + (i === 0 ? freight : 0n)) })),
      });
      if (version.status !== TransactionVersionStatus.UNDER_REVIEW) throw new Error("demo seed: the adjustment was expected to go to review");
    },
  });
  steps.sort((a, b) => a.on.localeCompare(b.on) || a.order - b.order);
  for (const step of steps) {
    if (step.on > today) throw new Error(`demo seed: a step dated ${step.on} is after today (${today})`);
    await step.run();
  }

  // What registration's affinity questions are checked against: the agency's view of each account.
  const lastTransaction = new Map<string, { number: string; total: string }>();
  const lastPayment = new Map<string, string>();
  const lastBalance = new Map<string, string>();
  for (const pa of [mapleWindows, mapleDoors, prairieMain]) {
    const [t] = await query<{ transaction_number: string; total: string }>(em, sql`SELECT transaction_number, total_duties_and_taxes AS total FROM transactions
      WHERE program_account_id = ${pa.id}::uuid ORDER BY released_on DESC, created_at DESC, transaction_number DESC LIMIT 1`);
    lastTransaction.set(pa.id, { number: t!.transaction_number, total: formatCents(toCents(t!.total)) });
    const [p] = await query<{ amount: string }>(em, sql`SELECT amount FROM payments WHERE program_account_id = ${pa.id}::uuid ORDER BY received_at DESC LIMIT 1`);
    if (p) lastPayment.set(pa.id, formatCents(toCents(p.amount)));
    const [b] = await query<{ total_payable: string }>(em, sql`SELECT total_payable FROM statements WHERE program_account_id = ${pa.id}::uuid AND status = 'ISSUED' ORDER BY cycle_end DESC LIMIT 1`);
    if (b) lastBalance.set(pa.id, formatCents(toCents(b.total_payable)));
  }

  await save(FinancialSecurity, { programAccountId: mapleWindows.id, kind: SecurityKind.SURETY_BOND, amount: "25000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-2024-118832", effectiveFrom: "2024-05-15", expiresOn: "2027-05-14", postedOn: "2024-05-15" });
  await save(FinancialSecurity, { programAccountId: mapleDoors.id, kind: SecurityKind.CASH, amount: "5000.00", suretyProvider: null, bondNumber: null, effectiveFrom: "2024-05-15", expiresOn: null, paidWith: PaymentMethod.ONLINE_BANKING, postedOn: "2024-05-15" });
  await save(FinancialSecurity, { programAccountId: prairieMain.id, kind: SecurityKind.SURETY_BOND, amount: "12000.00", suretyProvider: "Prairie Mutual Surety", bondNumber: "PMS-88412", effectiveFrom: "2024-06-01", expiresOn: "2027-05-31", postedOn: "2024-06-01" });

  // Ruling requests: one decided, one assigned to olga, one waiting in the agency's queue (oldest first)
  const windowFrames = await save(RulingRequest, { programAccountId: mapleWindows.id, submittedByBusinessId: maple.id, submittedByUserId: u("carol").id, kind: RulingKind.TARIFF_CLASSIFICATION, status: RulingStatus.SUBMITTED, productDescription: "Thermally broken aluminium casement window frames, unglazed", createdAt: new Date("2026-11-10T15:00:00Z") });
  await save(RulingAttachment, { rulingRequestId: windowFrames.id, position: 1, fileName: "casement-frame-spec-sheet.pdf", mediaType: "application/pdf", sizeBytes: 482_113, sha256: "9f2c4e0a7b1d3c5e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6" });
  await save(RulingRequest, { programAccountId: mapleDoors.id, submittedByBusinessId: northern.id, submittedByUserId: u("frank").id, kind: RulingKind.ORIGIN, status: RulingStatus.DECISION_RENDERED, productDescription: "Solid oak interior doors assembled in Vermont", createdAt: new Date("2026-06-15T15:00:00Z"), assignedOfficerId: u("olga").id, assignedAt: new Date("2026-06-22T14:00:00Z"), decision: "Originating under CUSMA: tariff treatment 10 applies.", decidedAt: new Date("2026-07-14T16:00:00Z") });
  await save(RulingRequest, { programAccountId: prairieMain.id, submittedByBusinessId: prairie.id, submittedByUserId: u("ivan").id, kind: RulingKind.VALUATION, status: RulingStatus.ASSIGNED, productDescription: "Agricultural sprayer parts sold under a distribution agreement", createdAt: new Date("2026-09-28T15:00:00Z"), assignedOfficerId: u("olga").id, assignedAt: new Date("2026-10-02T14:00:00Z") });

  // The agency's records that registration's affinity answers are checked against
  for (const pa of [mapleWindows, mapleDoors, prairieMain]) {
    const last = lastTransaction.get(pa.id)!;
    await save(AgencyAffinityRecord, {
      programAccountId: pa.id, recentTransactionNumber: last.number, recentTransactionTotal: last.total,
      lastPaymentAmount: lastPayment.get(pa.id) ?? "0.00", lastStatementBalance: lastBalance.get(pa.id) ?? "0.00",
    });
  }

  // A business the agency knows that has not registered in the portal yet (harry may register it)
  const laurentian = await save(Business, {
    bn9: DEMO_BN.laurentian, legalName: "Laurentian Timber Supply Inc.", addressLine: "75 Rue du Port", city: "Trois-Rivières",
    province: "QC", postalCode: "G9A 2N4", country: "CA", asec: "60006", isServiceProvider: false, registeredAt: null,
  });
  const laurentianMain = await account(laurentian, "RM0001", "Lumber");
  await account(laurentian, "RM0002", "Hardware");
  await save(AgencyAffinityRecord, {
    programAccountId: laurentianMain.id, recentTransactionNumber: LAURENTIAN_AFFINITY.recentTransactionNumber,
    recentTransactionTotal: LAURENTIAN_AFFINITY.recentTransactionTotal, lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount,
    lastStatementBalance: LAURENTIAN_AFFINITY.lastStatementBalance,
  });

  // An employee's pending request, notifications and the audit trail so far
  // It names RM0001: alice (BAM) or bob (RM0001's PAM) may decide it.
  const harryRequest = await save(EmployeeAccessRequest, { userId: u("harry").id, businessId: maple.id, note: "I need access to make corrections and adjustments", status: AccessRequestStatus.PENDING });
  await save(EmployeeAccessRequestAccount, { requestId: harryRequest.id, programAccountId: mapleWindows.id });
  await save(Notification, { userId: u("alice").id, businessId: maple.id, kind: NotificationKind.ACCESS_REQUESTED, title: "Access requested", body: "Harry Clarke asked for access to Maple Leaf Windows & Doors Inc." });
  await save(Notification, { userId: u("alice").id, businessId: maple.id, kind: NotificationKind.STATEMENT_ISSUED, title: "Statement issued", body: `Statement of Account for ${mapleWindows.bn15} (cycle ending ${calendar.issued[2]!.end}) is available.` });
  await save(Notification, { userId: u("erin").id, businessId: northern.id, kind: NotificationKind.REQUEST_DECIDED, title: "Relationship approved", body: "Maple Leaf Windows & Doors Inc. approved your access request." });
  await save(AuditEvent, { businessId: maple.id, actorUserId: u("alice").id, action: "business.registered", targetType: "Business", targetId: maple.id, before: null, after: { bn9: maple.bn9 } });
  await save(AuditEvent, { businessId: maple.id, actorUserId: u("alice").id, action: "relationship.approved", targetType: "Relationship", targetId: northernMaple.id, before: { status: "PENDING" }, after: { status: "ACTIVE", level: "BUSINESS", role: "EDITOR" } });
}

import type { DataSource, EntityManager } from "typeorm";
import { personas, personaSubject } from "../auth/personas.js";
import { cycleFor } from "../common/billing.js";
import { lineDuties } from "../common/duties.js";
import {
  AccessRequestStatus, NotificationKind, PaymentMethod, PlatformRole, ProgramRole, ProviderRole, RelationshipLevel,
  RelationshipStatus, RulingKind, RulingStatus, SecurityKind, StatementStatus, TransactionVersionKind, TransactionVersionStatus,
} from "../common/enums.js";
import { luhnCheckDigit, makeTransactionNumber } from "../common/identifiers.js";
import { formatCents, toCents } from "../common/money.js";
import type { Logger } from "../logger.js";
import { EmployeeAccessRequest, EmployeeAccessRequestAccount } from "../modules/access-request/access-request.entity.js";
import { AgencyAffinityRecord } from "../modules/agency/agency.entity.js";
import { AuditEvent } from "../modules/audit/audit.entity.js";
import { Business } from "../modules/business/business.entity.js";
import { ClientGroup, ClientGroupAssignment, ClientGroupClient } from "../modules/client-group/client-group.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "../modules/membership/membership.entity.js";
import { Notification } from "../modules/notification/notification.entity.js";
import { Payment } from "../modules/payment/payment.entity.js";
import { ProgramAccount } from "../modules/program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "../modules/relationship/relationship.entity.js";
import { RulingAttachment, RulingRequest } from "../modules/ruling/ruling.entity.js";
import { FinancialSecurity } from "../modules/security/security.entity.js";
import { Statement } from "../modules/statement/statement.entity.js";
import { Transaction, TransactionLine, TransactionVersion } from "../modules/transaction/transaction.entity.js";
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

/** Release dates of the demo transactions: three closed billing cycles and the open one. */
const RELEASES = [
  "2026-08-20", "2026-08-28", "2026-09-05", "2026-09-15",
  "2026-09-19", "2026-09-30", "2026-10-08", "2026-10-16",
  "2026-10-20", "2026-10-29", "2026-11-06", "2026-11-13",
  "2026-11-18", "2026-11-20",
];

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
    level: RelationshipLevel.BUSINESS, role: ProviderRole.EDITOR, expiresAt: new Date("2026-06-30T04:00:00Z"),
    seeSubmittedByProvider: true, seeSubmittedByClient: false, seeSubmittedByOthers: false,
    requestComment: "Customs brokerage services.", requestedById: u("gina").id, decidedById: u("alice").id,
    decidedAt: new Date("2024-05-20T15:00:00Z"),
  });
  await save(BusinessRelationship, {
    clientBusinessId: maple.id, providerBusinessId: coastal.id, status: RelationshipStatus.REVOKED,
    level: RelationshipLevel.BUSINESS, role: ProviderRole.READER, expiresAt: null,
    seeSubmittedByProvider: true, seeSubmittedByClient: false, seeSubmittedByOthers: false,
    requestComment: "Freight forwarding.", requestedById: null, decidedById: u("alice").id,
    decidedAt: new Date("2024-05-25T15:00:00Z"), endedById: u("alice").id, endedAt: new Date("2026-03-01T15:00:00Z"),
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

  // Transactions: importer-filed, Northern, Old Border, and another business (Coastal)
  const submitters = {
    maple: { business: maple, user: u("carol") },
    northern: { business: northern, user: u("frank") },
    oldBorder: { business: oldBorder, user: u("gina") },
    coastal: { business: coastal, user: null },
    prairie: { business: prairie, user: u("ivan") },
  };
  const sequences = new Map<string, number>();
  const nextNumber = (b: Business) => {
    const n = (sequences.get(b.id) ?? 0) + 1;
    sequences.set(b.id, n);
    return makeTransactionNumber(b.asec!, n);
  };
  const plans: { pa: ProgramAccount; rotation: (keyof typeof submitters)[] }[] = [
    { pa: mapleWindows, rotation: ["maple", "northern", "oldBorder", "coastal"] },
    { pa: mapleDoors, rotation: ["northern", "maple", "coastal", "oldBorder"] },
    { pa: prairieMain, rotation: ["prairie", "northern"] },
  ];
  const totalsByAccountCycle = new Map<string, bigint>();
  const lastTransaction = new Map<string, { number: string; total: string }>();
  let k = 0;
  for (const plan of plans) {
    for (const [i, releasedOn] of RELEASES.entries()) {
      // Old Border's relationship ended on 2026-06-30: it filed nothing for Maple Leaf after that,
      // so its demo filings are the earlier half of the list (re-dated to before its expiry).
      const who = submitters[plan.rotation[i % plan.rotation.length]!];
      let date = releasedOn;
      if (who.business.id === oldBorder.id) date = `2026-0${4 + (i % 3)}-1${i % 10}`;
      const lineCount = 1 + (k % 3);
      const lines = Array.from({ length: lineCount }, (_, j) => {
        const product = PRODUCTS[(k + j) % PRODUCTS.length]!;
        const valueForDuty = formatCents(BigInt(125_000 + ((k * 7919 + j * 104_729) % 1_850_000)));
        const sima = j === 1 && k % 5 === 0 ? "312.40" : "0.00";
        const excise = "0.00";
        return { product, valueForDuty, sima, excise, duties: lineDuties({ valueForDuty, customsDutyRate: product.rate, sima, excise }) };
      });
      const sum = (f: (l: (typeof lines)[number]) => string) => formatCents(lines.reduce((acc, l) => acc + toCents(f(l)), 0n));
      const total = sum((l) => l.duties.total);
      const number = nextNumber(who.business);
      const t = await save(Transaction, {
        transactionNumber: number, programAccountId: plan.pa.id, submittedByBusinessId: who.business.id,
        submittedByUserId: who.user?.id ?? null, releasedOn: date, currentVersionNo: 1, totalDutiesAndTaxes: total,
      });
      const v = await save(TransactionVersion, {
        transactionId: t.id, versionNo: 1, kind: TransactionVersionKind.ORIGINAL, status: TransactionVersionStatus.ACCEPTED,
        submittedByBusinessId: who.business.id, submittedByUserId: who.user?.id ?? null, reason: null,
        customsDuty: sum((l) => l.duties.customsDuty), sima: sum((l) => l.sima), excise: sum((l) => l.excise),
        gst: sum((l) => l.duties.gst), totalDutiesAndTaxes: total, interest: "0.00",
      });
      for (const [j, l] of lines.entries()) {
        await save(TransactionLine, {
          versionId: v.id, lineNo: j + 1, classificationCode: l.product.hs, description: l.product.description,
          valueForDuty: l.valueForDuty, tariffTreatment: "2", customsDutyRate: l.product.rate, sima: l.sima, excise: l.excise,
          customsDuty: l.duties.customsDuty, valueForTax: l.duties.valueForTax, gst: l.duties.gst,
        });
      }
      const cycle = cycleFor(date).end;
      const key = `${plan.pa.id}|${cycle}`;
      totalsByAccountCycle.set(key, (totalsByAccountCycle.get(key) ?? 0n) + toCents(total));
      lastTransaction.set(plan.pa.id, { number, total });
      k++;
    }
  }

  // A correction by Northern on one Maple Leaf transaction (a second version, same number)
  const corrected = await em.getRepository(Transaction).findOneByOrFail({ programAccountId: mapleDoors.id, submittedByBusinessId: northern.id, releasedOn: RELEASES[0]! });
  await save(TransactionVersion, {
    transactionId: corrected.id, versionNo: 2, kind: TransactionVersionKind.CORRECTION, status: TransactionVersionStatus.ACCEPTED,
    submittedByBusinessId: northern.id, submittedByUserId: u("frank").id, reason: "Corrected tariff classification of line 1",
    customsDuty: "0.00", sima: "0.00", excise: "0.00", gst: "0.00", totalDutiesAndTaxes: corrected.totalDutiesAndTaxes, interest: "0.00",
  });
  await em.getRepository(Transaction).update({ id: corrected.id }, { currentVersionNo: 2 });

  // Statements (three issued cycles + the open one), payments of each issued statement, security
  const cycles = ["2026-09-17", "2026-10-17", "2026-11-17", "2026-12-17"];
  const lastPayment = new Map<string, string>();
  const lastBalance = new Map<string, string>();
  for (const pa of [mapleWindows, mapleDoors, prairieMain]) {
    let previous = 0n;
    let paidLastCycle = 0n;
    for (const [ci, end] of cycles.entries()) {
      const c = cycleFor(end);
      const current = totalsByAccountCycle.get(`${pa.id}|${end}`) ?? 0n;
      const open = ci === cycles.length - 1;
      const totalPayable = previous + current - paidLastCycle;
      const statement = await save(Statement, {
        programAccountId: pa.id, cycleStart: c.start, cycleEnd: c.end, issueDate: c.issueDate, dueDate: c.dueDate,
        status: open ? StatementStatus.OPEN : StatementStatus.ISSUED, previousBalance: formatCents(previous),
        corrections: "0.00", payments: formatCents(paidLastCycle), interestAndPenalties: "0.00",
        currentCharges: formatCents(current), credits: "0.00", totalPayable: formatCents(totalPayable),
      });
      previous = totalPayable;
      paidLastCycle = 0n;
      if (!open) {
        lastBalance.set(pa.id, formatCents(totalPayable));
        if (totalPayable > 0n) {
          const method = ci % 2 === 0 ? PaymentMethod.ONLINE_BANKING : PaymentMethod.PRE_AUTHORIZED_DEBIT;
          await save(Payment, {
            programAccountId: pa.id, statementId: statement.id, amount: formatCents(totalPayable), method,
            idempotencyKey: `seed-${pa.bn15}-${end}`, reference: `CONF-${pa.rm}-${end.replaceAll("-", "")}`,
            instrumentLast4: method === PaymentMethod.ONLINE_BANKING ? "4417" : "0093",
            receivedAt: new Date(`${c.dueDate}T15:00:00Z`), submittedByUserId: pa.businessId === maple.id ? u("alice").id : u("ivan").id,
          });
          lastPayment.set(pa.id, formatCents(totalPayable));
          paidLastCycle = totalPayable;
        }
      }
    }
  }
  await save(FinancialSecurity, { programAccountId: mapleWindows.id, kind: SecurityKind.SURETY_BOND, amount: "25000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-2024-118832", effectiveFrom: "2024-05-15", expiresOn: "2027-05-14" });
  await save(FinancialSecurity, { programAccountId: mapleDoors.id, kind: SecurityKind.CASH, amount: "5000.00", suretyProvider: null, bondNumber: null, effectiveFrom: "2024-05-15", expiresOn: null });
  await save(FinancialSecurity, { programAccountId: prairieMain.id, kind: SecurityKind.SURETY_BOND, amount: "12000.00", suretyProvider: "Prairie Mutual Surety", bondNumber: "PMS-88412", effectiveFrom: "2024-06-01", expiresOn: "2027-05-31" });

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
  await save(Notification, { userId: u("alice").id, businessId: maple.id, kind: NotificationKind.STATEMENT_ISSUED, title: "Statement issued", body: `Statement of Account for ${mapleWindows.bn15} (cycle ending 2026-11-17) is available.` });
  await save(Notification, { userId: u("erin").id, businessId: northern.id, kind: NotificationKind.REQUEST_DECIDED, title: "Relationship approved", body: "Maple Leaf Windows & Doors Inc. approved your access request." });
  await save(AuditEvent, { businessId: maple.id, actorUserId: u("alice").id, action: "business.registered", targetType: "Business", targetId: maple.id, before: null, after: { bn9: maple.bn9 } });
  await save(AuditEvent, { businessId: maple.id, actorUserId: u("alice").id, action: "relationship.approved", targetType: "Relationship", targetId: northernMaple.id, before: { status: "PENDING" }, after: { status: "ACTIVE", level: "BUSINESS", role: "EDITOR" } });
}

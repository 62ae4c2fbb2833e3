import { registerEnumType } from "type-graphql";

// Why one file of ~330 lines: every enum of the schema with its registration and descriptions, a
// few lines each; the policy, the entities and the migrations name them from one place.

/** The portal's roles, as the policy and the access explanations name them. */
export enum Role {
  BAM = "BAM",
  PAM = "PAM",
  EDITOR = "EDITOR",
  READER = "READER",
  ORPHAN = "ORPHAN",
  EXPIRED = "EXPIRED",
  AGENCY_OFFICER = "AGENCY_OFFICER",
}
registerEnumType(Role, { name: "Role", description: "A portal role (see the domain spec).", valuesConfig: {
    AGENCY_OFFICER: { description: "An officer of the agency." },
    BAM: { description: "Business Account Manager: full access to the business and all its program accounts." },
    EDITOR: { description: "Creates, edits and views transactions; submits payments and ruling requests." },
    EXPIRED: { description: "A broker's person after the relationship ended: reads only the transactions its business submitted." },
    ORPHAN: { description: "Registered, linked to no business: sees only their own profile." },
    PAM: { description: "Program Account Manager: full access to one program account." },
    READER: { description: "Views only." },
  } });

export enum PlatformRole {
  AGENCY_OFFICER = "AGENCY_OFFICER",
}
registerEnumType(PlatformRole, { name: "PlatformRole", description: "Platform-wide roles held by agency staff.", valuesConfig: {
    AGENCY_OFFICER: { description: "An officer of the agency: works the agency's queues." },
  } });

/** Roles that can be held on one program account (BAM is business-wide, held through membership). */
export enum ProgramRole {
  PAM = "PAM",
  EDITOR = "EDITOR",
  READER = "READER",
}
registerEnumType(ProgramRole, { name: "ProgramRole", description: "A role held on one program account.", valuesConfig: {
    EDITOR: { description: "Creates, edits and views transactions; submits payments and ruling requests; manages no access." },
    PAM: { description: "Program Account Manager: full access to the account; decides requests for it and assigns its roles (never BAM)." },
    READER: { description: "Views only." },
  } });

/** What a business may grant a third-party service provider. */
export enum ProviderRole {
  EDITOR = "EDITOR",
  READER = "READER",
}
registerEnumType(ProviderRole, { name: "ProviderRole", description: "The role a client gives a service provider.", valuesConfig: {
    EDITOR: { description: "The provider files and amends declarations, pays and submits ruling requests for the client." },
    READER: { description: "The provider views only." },
  } });

export enum MembershipStatus {
  ACTIVE = "ACTIVE",
  REMOVED = "REMOVED",
}
registerEnumType(MembershipStatus, { name: "MembershipStatus", description: "Whether a membership is in force.", valuesConfig: {
    ACTIVE: { description: "The person belongs to the business." },
    REMOVED: { description: "The person was removed; the membership is kept for the record." },
  } });

export enum AccessRequestStatus {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(AccessRequestStatus, { name: "AccessRequestStatus", description: "Where an employee's request for access to an employer stands.", valuesConfig: {
    APPROVED: { description: "A BAM or PAM approved it, choosing the roles." },
    PENDING: { description: "Waiting for a BAM or a PAM of the business to decide." },
    REJECTED: { description: "A BAM or PAM turned it down." },
    WITHDRAWN: { description: "The person who asked took it back before a decision." },
  } });

/** Stored status of a relationship; EXPIRED is derived from `expiresAt` when read. */
export enum RelationshipStatus {
  PENDING = "PENDING",
  ACTIVE = "ACTIVE",
  REJECTED = "REJECTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
}
registerEnumType(RelationshipStatus, {
  name: "RelationshipStatus",
  description: "EXPIRED is never stored: an ACTIVE relationship whose expiry has passed reads as EXPIRED.", valuesConfig: {
    ACTIVE: { description: "Approved and in force." },
    EXPIRED: { description: "Its expiry passed (never stored: read from expiresAt)." },
    PENDING: { description: "Requested by the provider, waiting for the client." },
    REJECTED: { description: "The client turned the request down." },
    REVOKED: { description: "Ended by either side." },
  } });

export enum RelationshipLevel {
  BUSINESS = "BUSINESS",
  PROGRAM_ACCOUNT = "PROGRAM_ACCOUNT",
}
registerEnumType(RelationshipLevel, {
  name: "RelationshipLevel",
  description: "BUSINESS covers every program account of the client, present and future; PROGRAM_ACCOUNT only the listed ones.", valuesConfig: {
    BUSINESS: { description: "Every program account of the client, present and future." },
    PROGRAM_ACCOUNT: { description: "Only the program accounts listed." },
  } });

export enum TransactionVersionKind {
  ORIGINAL = "ORIGINAL",
  CORRECTION = "CORRECTION",
  ADJUSTMENT = "ADJUSTMENT",
}
registerEnumType(TransactionVersionKind, { name: "TransactionVersionKind", description: "What a version of a declaration is.", valuesConfig: {
    ADJUSTMENT: { description: "A change after the due date: reviewed by the agency, with interest when accepted." },
    CORRECTION: { description: "A change up to and including the due date: accepted at once." },
    ORIGINAL: { description: "The declaration as first filed." },
  } });

export enum TransactionVersionStatus {
  ACCEPTED = "ACCEPTED",
  UNDER_REVIEW = "UNDER_REVIEW",
  REJECTED = "REJECTED",
}
registerEnumType(TransactionVersionStatus, { name: "TransactionVersionStatus", description: "Where a version of a declaration stands.", valuesConfig: {
    ACCEPTED: { description: "In force (an original or correction at once; an adjustment once the agency accepts it)." },
    REJECTED: { description: "An adjustment the agency turned down." },
    UNDER_REVIEW: { description: "An adjustment waiting for the agency." },
  } });

export enum StatementStatus {
  OPEN = "OPEN",
  ISSUED = "ISSUED",
}
registerEnumType(StatementStatus, { name: "StatementStatus", description: "Whether a statement is still open.", valuesConfig: {
    ISSUED: { description: "Issued: it never changes again." },
    OPEN: { description: "The cycle is running: its totals move with each posting." },
  } });

/**
 * What a line of a statement's journal records. Debits (positive amounts) increase what the account
 * owes, credits (negative amounts) decrease it; each kind feeds one running total of the statement.
 */
export enum PostingKind {
  CHARGE = "CHARGE",
  CORRECTION = "CORRECTION",
  ADJUSTMENT = "ADJUSTMENT",
  INTEREST = "INTEREST",
  PAYMENT = "PAYMENT",
  PENALTY = "PENALTY",
  REFUND = "REFUND",
}
registerEnumType(PostingKind, {
  name: "PostingKind",
  description: "What a line of a statement's journal records; debits increase what the account owes, credits decrease it.",
  valuesConfig: {
    CHARGE: { description: "Duties and taxes of a new declaration (current charges)." },
    CORRECTION: { description: "The difference a correction made (an increase is a correction, a decrease a credit)." },
    ADJUSTMENT: { description: "The difference an accepted adjustment made (an increase is a correction, a decrease a credit)." },
    INTEREST: { description: "Interest on overdue amounts, or on an adjustment from the original due date." },
    PAYMENT: { description: "A payment received (a credit)." },
    PENALTY: { description: "An AMPS penalty the agency assessed (a debit), or what a decided dispute cancelled of it (a credit)." },
    REFUND: { description: "A refund of the account's credit balance, paid out by the agency (it uses up that credit)." },
  },
});

export enum PenaltyDisputeStatus {
  SUBMITTED = "SUBMITTED",
  UPHELD = "UPHELD",
  CANCELLED = "CANCELLED",
}
registerEnumType(PenaltyDisputeStatus, {
  name: "PenaltyDisputeStatus",
  description: "Where an importer's dispute of a penalty stands.",
  valuesConfig: {
    SUBMITTED: { description: "Waiting for the agency's decision." },
    UPHELD: { description: "The penalty stands as assessed." },
    CANCELLED: { description: "The agency cancelled all or part of the penalty (cancelledAmount), posted as a credit." },
  },
});

export enum RefundStatus {
  REQUESTED = "REQUESTED",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
}
registerEnumType(RefundStatus, {
  name: "RefundStatus",
  description: "Where a request to refund a credit balance stands.",
  valuesConfig: {
    REQUESTED: { description: "Waiting for the agency's decision." },
    APPROVED: { description: "Paid out: posted on the statement as a refund, using up that much of the credit balance." },
    REJECTED: { description: "Refused, with the officer's reason; nothing was posted." },
  },
});

/** How much of a statement's money a viewer sees (decided in src/auth/money.ts). */
export enum StatementView {
  FULL = "FULL",
  RESTRICTED = "RESTRICTED",
}
registerEnumType(StatementView, {
  name: "StatementView",
  description: "How much of a statement's money you see.",
  valuesConfig: {
    FULL: { description: "Every transaction of the account is visible to you: the account-wide totals are shown." },
    RESTRICTED: {
      description:
        "Your visibility rules hide some of the account's transactions: the account-wide amounts are null; visibleCharges is the subtotal of what you may see.",
    },
  },
});

export enum PaymentMethod {
  ONLINE_BANKING = "ONLINE_BANKING",
  PRE_AUTHORIZED_DEBIT = "PRE_AUTHORIZED_DEBIT",
  DEBIT_CARD = "DEBIT_CARD",
  CREDIT_CARD = "CREDIT_CARD",
}
registerEnumType(PaymentMethod, { name: "PaymentMethod", description: "How a payment is made.", valuesConfig: {
    CREDIT_CARD: { description: "By credit card (within the card limit)." },
    DEBIT_CARD: { description: "By debit card." },
    ONLINE_BANKING: { description: "Through online banking, quoting the BN15." },
    PRE_AUTHORIZED_DEBIT: { description: "Pre-authorized debit from a bank account." },
  } });

export enum SecurityKind {
  SURETY_BOND = "SURETY_BOND",
  CASH = "CASH",
}
registerEnumType(SecurityKind, { name: "SecurityKind", description: "The form of financial security.", valuesConfig: {
    CASH: { description: "A cash deposit." },
    SURETY_BOND: { description: "A surety bond (with its number)." },
  } });

export enum SecurityStatus {
  ACTIVE = "ACTIVE",
  CANCELLED = "CANCELLED",
}
registerEnumType(SecurityStatus, { name: "SecurityStatus", description: "Whether financial security is in force.", valuesConfig: {
    ACTIVE: { description: "In force." },
    CANCELLED: { description: "Cancelled." },
  } });

export enum RulingKind {
  TARIFF_CLASSIFICATION = "TARIFF_CLASSIFICATION",
  ORIGIN = "ORIGIN",
  VALUATION = "VALUATION",
  MARKING = "MARKING",
}
registerEnumType(RulingKind, { name: "RulingKind", description: "What an advance ruling is asked for.", valuesConfig: {
    MARKING: { description: "Country-of-origin marking." },
    ORIGIN: { description: "Origin of the goods (e.g. for a preferential tariff)." },
    TARIFF_CLASSIFICATION: { description: "Tariff classification of the goods." },
    VALUATION: { description: "Valuation for duty." },
  } });

export enum RulingStatus {
  SUBMITTED = "SUBMITTED",
  ASSIGNED = "ASSIGNED",
  DECISION_RENDERED = "DECISION_RENDERED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(RulingStatus, { name: "RulingStatus", description: "Where a ruling request stands.", valuesConfig: {
    ASSIGNED: { description: "An officer is working on it." },
    DECISION_RENDERED: { description: "Decided." },
    SUBMITTED: { description: "Waiting for an officer." },
    WITHDRAWN: { description: "Taken back by the requester before a decision." },
  } });

export enum NotificationKind {
  ACCESS_REQUESTED = "ACCESS_REQUESTED",
  REQUEST_DECIDED = "REQUEST_DECIDED",
  RELATIONSHIP_CHANGED = "RELATIONSHIP_CHANGED",
  RELATIONSHIP_ENDED = "RELATIONSHIP_ENDED",
  RELATIONSHIP_EXPIRING = "RELATIONSHIP_EXPIRING",
  STATEMENT_ISSUED = "STATEMENT_ISSUED",
  PAYMENT_RECEIVED = "PAYMENT_RECEIVED",
  RULING_ASSIGNED = "RULING_ASSIGNED",
  RULING_DECIDED = "RULING_DECIDED",
  RULING_WITHDRAWN = "RULING_WITHDRAWN",
  ADJUSTMENT_DECIDED = "ADJUSTMENT_DECIDED",
  PENALTY_ASSESSED = "PENALTY_ASSESSED",
  PENALTY_DISPUTE_DECIDED = "PENALTY_DISPUTE_DECIDED",
  REFUND_DECIDED = "REFUND_DECIDED",
}
registerEnumType(NotificationKind, {
  name: "NotificationKind",
  description: "What a notification is about (each kind can be sent by email too, per your preferences).",
  valuesConfig: {
    ACCESS_REQUESTED: { description: "Someone asks for access to your business (employee) or to a client (service provider): to its managers." },
    REQUEST_DECIDED: { description: "Your access request, or your business's relationship request, was approved or rejected." },
    RELATIONSHIP_CHANGED: { description: "A client changed the terms of your business's relationship: to the provider's BAMs." },
    RELATIONSHIP_ENDED: { description: "The other side ended a relationship (or withdrew a request): to that side's counterpart BAMs." },
    RELATIONSHIP_EXPIRING: { description: "A relationship expires in 30 days, and again in 7: to both sides' BAMs." },
    STATEMENT_ISSUED: { description: "A Statement of Account was issued." },
    PAYMENT_RECEIVED: { description: "A payment was received." },
    RULING_ASSIGNED: {
      description: "A ruling request was assigned to an agency officer: to the requesting business's people who see it, and to the officer when someone else assigned it to them.",
    },
    RULING_DECIDED: { description: "The agency rendered its decision on a ruling request: to the requesting business's people who see it." },
    RULING_WITHDRAWN: { description: "The requester withdrew a ruling request: to the agency officer it was assigned to." },
    ADJUSTMENT_DECIDED: {
      description:
        "The agency accepted or rejected an adjustment: to the person who submitted it and the BAMs of the importer and of the submitting business, " +
        "those of them who may see the declaration.",
    },
    PENALTY_ASSESSED: { description: "The agency assessed an AMPS penalty on a program account: to the importer's people who see its payments." },
    PENALTY_DISPUTE_DECIDED: { description: "The agency decided a dispute of a penalty: to the disputer and the importer's people who see its payments." },
    REFUND_DECIDED: { description: "The agency approved or refused a refund of a credit balance: to the requester and the importer's people who see its payments." },
  },
});

/** Where an email of the outbox stands. */
export enum EmailStatus {
  PENDING = "PENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(EmailStatus, {
  name: "EmailStatus",
  description: "Where an email of the outbox stands.",
  valuesConfig: {
    PENDING: { description: "Waiting to be sent (or to be retried at nextAttemptAt; with no mail server configured, it stays here)." },
    SENT: { description: "Accepted by the mail server." },
    FAILED: { description: "Given up after the maximum number of attempts." },
  },
});

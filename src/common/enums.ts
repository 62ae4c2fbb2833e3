import { registerEnumType } from "type-graphql";

// Why one file of ~250 lines: every enum of the schema with its registration and descriptions, a
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
registerEnumType(Role, { name: "Role", description: "A portal role (see the domain spec)." });

export enum PlatformRole {
  AGENCY_OFFICER = "AGENCY_OFFICER",
}
registerEnumType(PlatformRole, { name: "PlatformRole", description: "Platform-wide roles held by agency staff." });

/** Roles that can be held on one program account (BAM is business-wide, held through membership). */
export enum ProgramRole {
  PAM = "PAM",
  EDITOR = "EDITOR",
  READER = "READER",
}
registerEnumType(ProgramRole, { name: "ProgramRole" });

/** What a business may grant a third-party service provider. */
export enum ProviderRole {
  EDITOR = "EDITOR",
  READER = "READER",
}
registerEnumType(ProviderRole, { name: "ProviderRole" });

export enum MembershipStatus {
  ACTIVE = "ACTIVE",
  REMOVED = "REMOVED",
}
registerEnumType(MembershipStatus, { name: "MembershipStatus" });

export enum AccessRequestStatus {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(AccessRequestStatus, { name: "AccessRequestStatus" });

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
  description: "EXPIRED is never stored: an ACTIVE relationship whose expiry has passed reads as EXPIRED.",
});

export enum RelationshipLevel {
  BUSINESS = "BUSINESS",
  PROGRAM_ACCOUNT = "PROGRAM_ACCOUNT",
}
registerEnumType(RelationshipLevel, {
  name: "RelationshipLevel",
  description: "BUSINESS covers every program account of the client, present and future; PROGRAM_ACCOUNT only the listed ones.",
});

export enum TransactionVersionKind {
  ORIGINAL = "ORIGINAL",
  CORRECTION = "CORRECTION",
  ADJUSTMENT = "ADJUSTMENT",
}
registerEnumType(TransactionVersionKind, { name: "TransactionVersionKind" });

export enum TransactionVersionStatus {
  ACCEPTED = "ACCEPTED",
  UNDER_REVIEW = "UNDER_REVIEW",
  REJECTED = "REJECTED",
}
registerEnumType(TransactionVersionStatus, { name: "TransactionVersionStatus" });

export enum StatementStatus {
  OPEN = "OPEN",
  ISSUED = "ISSUED",
}
registerEnumType(StatementStatus, { name: "StatementStatus" });

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
registerEnumType(PaymentMethod, { name: "PaymentMethod" });

export enum SecurityKind {
  SURETY_BOND = "SURETY_BOND",
  CASH = "CASH",
}
registerEnumType(SecurityKind, { name: "SecurityKind" });

export enum SecurityStatus {
  ACTIVE = "ACTIVE",
  CANCELLED = "CANCELLED",
}
registerEnumType(SecurityStatus, { name: "SecurityStatus" });

export enum RulingKind {
  TARIFF_CLASSIFICATION = "TARIFF_CLASSIFICATION",
  ORIGIN = "ORIGIN",
  VALUATION = "VALUATION",
  MARKING = "MARKING",
}
registerEnumType(RulingKind, { name: "RulingKind" });

export enum RulingStatus {
  SUBMITTED = "SUBMITTED",
  ASSIGNED = "ASSIGNED",
  DECISION_RENDERED = "DECISION_RENDERED",
  WITHDRAWN = "WITHDRAWN",
}
registerEnumType(RulingStatus, { name: "RulingStatus" });

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
  valuesConfig: {
    PENDING: { description: "Waiting to be sent (or to be retried at nextAttemptAt; with no mail server configured, it stays here)." },
    SENT: { description: "Accepted by the mail server." },
    FAILED: { description: "Given up after the maximum number of attempts." },
  },
});

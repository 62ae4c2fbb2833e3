/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An agency officer's acceptance of an adjustment under review. */
export type AcceptAdjustmentInput = {
  /** The adjustment, as a queue item (AdjustmentCase id). */
  adjustmentCaseId: string | number;
  /** A note on the acceptance, told to the declarant (up to 1000 characters). */
  note?: string | null | undefined;
};

/** Narrow the adjustment queue. */
export type AdjustmentQueueFilter = {
  /** Only these statuses; left out, the adjustments still UNDER_REVIEW. [ACCEPTED, REJECTED] lists the decided ones. */
  status?: Array<TransactionVersionStatus> | null | undefined;
};

/** A correction (up to the due date) or an adjustment (after it) of a declaration: its lines as they should now be. */
export type AmendDeclarationInput = {
  /** The business you act as (BN9), when you could act as either the importer or the original filer. */
  asBusiness?: string | null | undefined;
  /** The declaration's complete new set of lines (1 to 200). */
  lines: Array<DeclarationLineInput>;
  /** Why it changes (1-1000 characters). */
  reason: string;
  /** The 14-digit number of the declaration to amend. */
  transactionNumber: string;
};

/** One line of a declaration. Duties and taxes are computed by the server. */
export type DeclarationLineInput = {
  /** 10-digit tariff classification code. */
  classificationCode: string;
  /** Customs duty rate in percent, e.g. "6.5" (up to 4 decimals). */
  customsDutyRate: string;
  /** What the goods are (1-500 characters). */
  description: string;
  /** Excise duty and taxes (default 0.00). */
  excise?: string | null | undefined;
  /** Special Import Measures Act duty (default 0.00). */
  sima?: string | null | undefined;
  /** Tariff treatment code, 1 or 2 digits, e.g. 2 (MFN) or 10 (CUSMA). */
  tariffTreatment: string;
  /** Value for duty, in CAD (0 to 99,999,999.99). */
  valueForDuty: string;
};

/** A Commercial Accounting Declaration (CAD) to file on a program account: its release date and lines. */
export type FileDeclarationInput = {
  /** The business you file as (BN9): the importer, or your service provider business. Needed only when you could file as either. */
  asBusiness?: string | null | undefined;
  /** The importer's program account (BN15). */
  bn15: string;
  /** 1 to 200 lines. */
  lines: Array<DeclarationLineInput>;
  /** Release date of the goods (YYYY-MM-DD): not in the future, at most 4 years ago. */
  releasedOn: string;
};

/** A payment to the agency on a program account, optionally allocated to chosen debts. */
export type MakePaymentInput = {
  /** What the payment pays, as you choose (CARM's "Add and allocate payment"): journal lines of debts you can see on this account, with the amount for each (at most 100 lines, none twice, together at most the payment). The rest, if any, pays the oldest debts first, which is also the default. */
  allocations?: Array<PaymentAllocationInput> | null | undefined;
  /** More than 0.00; by credit card, at most 4,999.99 per billing cycle and account, all card payments together. */
  amount: string;
  /** The business you pay as (BN9), when you could pay as either the importer or your service provider business. */
  asBusiness?: string | null | undefined;
  /** The program account paid (BN15): what online banking payments quote. */
  bn15: string;
  /** Your key for this payment (1-100 letters, digits, '-', '_', ':', '.'): a retry with the same key and the same request returns the first payment instead of paying twice; the same key with another request is a CONFLICT. */
  idempotencyKey: string;
  /** Last 4 digits of the card (debit, credit) or bank account (pre-authorized debit; optional for online banking). Never the full number. */
  instrumentLast4?: string | null | undefined;
  /** How it is paid. */
  method: PaymentMethod;
};

/** A debt a payment pays, and how much of it. */
export type PaymentAllocationInput = {
  /** How much of the payment goes to it (more than 0.00, at most what is unpaid of it). */
  amount: string;
  /** The debt: a journal line (StatementPosting id) of a charge, correction, adjustment, interest or penalty with something unpaid. */
  postingId: string | number;
};

/** How a payment is made. */
export type PaymentMethod =
  /** By credit card (within the card limit). */
  | 'CREDIT_CARD'
  /** By debit card. */
  | 'DEBIT_CARD'
  /** Through online banking, quoting the BN15. */
  | 'ONLINE_BANKING'
  /** Pre-authorized debit from a bank account. */
  | 'PRE_AUTHORIZED_DEBIT';

/** An agency officer's rejection of an adjustment under review, with the reasons. */
export type RejectAdjustmentInput = {
  /** The adjustment, as a queue item (AdjustmentCase id). */
  adjustmentCaseId: string | number;
  /** Why it is rejected, as the declarant will read it (1-1000 characters). */
  reason: string;
};

/** A portal role (see the domain spec). */
export type Role =
  /** An officer of the agency. */
  | 'AGENCY_OFFICER'
  /** Business Account Manager: full access to the business and all its program accounts. */
  | 'BAM'
  /** Creates, edits and views transactions; submits payments and ruling requests. */
  | 'EDITOR'
  /** A broker's person after the relationship ended: reads only the transactions its business submitted. */
  | 'EXPIRED'
  /** Registered, linked to no business: sees only their own profile. */
  | 'ORPHAN'
  /** Program Account Manager: full access to one program account. */
  | 'PAM'
  /** Views only. */
  | 'READER';

/** Whether a statement is still open. */
export type StatementStatus =
  /** Issued: it never changes again. */
  | 'ISSUED'
  /** The cycle is running: its totals move with each posting. */
  | 'OPEN';

/** How much of a statement's money you see. */
export type StatementView =
  /** Every transaction of the account is visible to you: the account-wide totals are shown. */
  | 'FULL'
  /** Your visibility rules hide some of the account's transactions: the account-wide amounts are null; visibleCharges is the subtotal of what you may see. */
  | 'RESTRICTED';

/** Narrow a transaction list. All conditions must hold. */
export type TransactionFilter = {
  /** Duties and taxes (as `totalDutiesAndTaxes` shows you) of at most this amount; not below amountMin. */
  amountMax?: string | null | undefined;
  /** Duties and taxes (as `totalDutiesAndTaxes` shows you) of at least this amount, e.g. "1000.00". */
  amountMin?: string | null | undefined;
  /** Only this program account (BN15). */
  bn15?: string | null | undefined;
  /** Released on or after this date (YYYY-MM-DD). */
  releasedFrom?: string | null | undefined;
  /** Released on or before this date (YYYY-MM-DD). */
  releasedTo?: string | null | undefined;
  /** Only transactions whose latest version you may see has this status: UNDER_REVIEW finds adjustments waiting for the agency, REJECTED the ones it turned down last. */
  status?: TransactionVersionStatus | null | undefined;
  /** Only transactions whose original declaration this business filed (its BN9): the importer itself or a broker. */
  submitterBn9?: string | null | undefined;
  /** The transaction number: all 14 digits for that transaction, or its first digits (1 to 13, e.g. the submitter's 5-digit ASEC) for every number starting with them. */
  transactionNumber?: string | null | undefined;
};

/** What a version of a declaration is. */
export type TransactionVersionKind =
  /** A change after the due date: reviewed by the agency, with interest when accepted. */
  | 'ADJUSTMENT'
  /** A change up to and including the due date: accepted at once. */
  | 'CORRECTION'
  /** The declaration as first filed. */
  | 'ORIGINAL';

/** Where a version of a declaration stands. */
export type TransactionVersionStatus =
  /** In force (an original or correction at once; an adjustment once the agency accepts it). */
  | 'ACCEPTED'
  /** An adjustment the agency turned down. */
  | 'REJECTED'
  /** An adjustment waiting for the agency. */
  | 'UNDER_REVIEW';

export type AdjustmentQueueQueryVariables = Exact<{
  filter?: AdjustmentQueueFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type AdjustmentQueueQuery = { agencyQueue: { adjustments: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, createdAt: string, status: TransactionVersionStatus, transactionNumber: string, releasedOn: string, versionNo: number, reason: string | null, bn15: string, previousTotal: string, proposedTotal: string, difference: string, interest: string, decidedAt: string | null, decisionNote: string | null, importer: { bn9: string, legalName: string }, submittedBy: { bn9: string, legalName: string }, lines: Array<{ lineNo: number, classificationCode: string, description: string, valueForDuty: string, tariffTreatment: string, customsDutyRate: string, sima: string, excise: string, customsDuty: string, valueForTax: string, gst: string }>, decidedBy: { username: string } | null } }> } } };

export type AdjustmentCaseFieldsFragment = { id: string, createdAt: string, status: TransactionVersionStatus, transactionNumber: string, releasedOn: string, versionNo: number, reason: string | null, bn15: string, previousTotal: string, proposedTotal: string, difference: string, interest: string, decidedAt: string | null, decisionNote: string | null, importer: { bn9: string, legalName: string }, submittedBy: { bn9: string, legalName: string }, lines: Array<{ lineNo: number, classificationCode: string, description: string, valueForDuty: string, tariffTreatment: string, customsDutyRate: string, sima: string, excise: string, customsDuty: string, valueForTax: string, gst: string }>, decidedBy: { username: string } | null };

export type AcceptAdjustmentMutationVariables = Exact<{
  input: AcceptAdjustmentInput;
}>;


export type AcceptAdjustmentMutation = { acceptAdjustment: { id: string, createdAt: string, status: TransactionVersionStatus, transactionNumber: string, releasedOn: string, versionNo: number, reason: string | null, bn15: string, previousTotal: string, proposedTotal: string, difference: string, interest: string, decidedAt: string | null, decisionNote: string | null, importer: { bn9: string, legalName: string }, submittedBy: { bn9: string, legalName: string }, lines: Array<{ lineNo: number, classificationCode: string, description: string, valueForDuty: string, tariffTreatment: string, customsDutyRate: string, sima: string, excise: string, customsDuty: string, valueForTax: string, gst: string }>, decidedBy: { username: string } | null } };

export type RejectAdjustmentMutationVariables = Exact<{
  input: RejectAdjustmentInput;
}>;


export type RejectAdjustmentMutation = { rejectAdjustment: { id: string, createdAt: string, status: TransactionVersionStatus, transactionNumber: string, releasedOn: string, versionNo: number, reason: string | null, bn15: string, previousTotal: string, proposedTotal: string, difference: string, interest: string, decidedAt: string | null, decisionNote: string | null, importer: { bn9: string, legalName: string }, submittedBy: { bn9: string, legalName: string }, lines: Array<{ lineNo: number, classificationCode: string, description: string, valueForDuty: string, tariffTreatment: string, customsDutyRate: string, sima: string, excise: string, customsDuty: string, valueForTax: string, gst: string }>, decidedBy: { username: string } | null } };

export type BusinessOverviewQueryVariables = Exact<{
  bn9: string;
  txFirst?: number | null | undefined;
}>;


export type BusinessOverviewQuery = { business: { id: string, bn9: string, legalName: string, city: string, myRole: Role | null, programAccounts: { totalCount: number, edges: Array<{ node: { id: string, bn15: string, name: string, myRole: Role | null, transactions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { transactionNumber: string, releasedOn: string, totalDutiesAndTaxes: string, submittedBy: { bn9: string, legalName: string } } }> } | null } }> } | null } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { roles: Array<Role>, user: { id: string, username: string, displayName: string, email: string | null } | null } };

export type NodeByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeByIdQuery = { node:
    | { __typename: 'AdjustmentCase', id: string }
    | { __typename: 'AuditEvent', id: string }
    | { __typename: 'Business', bn9: string, id: string }
    | { __typename: 'BusinessMembership', id: string }
    | { __typename: 'ClientGroup', id: string }
    | { __typename: 'ClientGroupAssignment', id: string }
    | { __typename: 'Email', id: string }
    | { __typename: 'EmployeeAccessRequest', id: string }
    | { __typename: 'FinancialSecurity', id: string }
    | { __typename: 'Notification', id: string }
    | { __typename: 'Payment', id: string }
    | { __typename: 'Penalty', id: string }
    | { __typename: 'PenaltyCase', id: string }
    | { __typename: 'PenaltyDispute', id: string }
    | { __typename: 'ProgramAccount', id: string }
    | { __typename: 'ProgramRoleAssignment', id: string }
    | { __typename: 'RefundCase', id: string }
    | { __typename: 'RefundRequest', id: string }
    | { __typename: 'Relationship', id: string }
    | { __typename: 'RulingCase', id: string }
    | { __typename: 'RulingRequest', id: string }
    | { __typename: 'Statement', id: string }
    | { __typename: 'StatementPosting', id: string }
    | { __typename: 'Transaction', transactionNumber: string, id: string }
    | { __typename: 'TransactionLine', id: string }
    | { __typename: 'TransactionVersion', id: string }
    | { __typename: 'User', id: string }
   };

export type FileDeclarationMutationVariables = Exact<{
  input: FileDeclarationInput;
}>;


export type FileDeclarationMutation = { fileDeclaration: { id: string, transactionNumber: string, releasedOn: string, late: boolean, dueDate: string, totalDutiesAndTaxes: string, submittedBy: { bn9: string, legalName: string }, currentVersion: { versionNo: number, kind: TransactionVersionKind, status: TransactionVersionStatus, customsDuty: string, sima: string, excise: string, gst: string, totalDutiesAndTaxes: string, lines: { edges: Array<{ node: { lineNo: number, customsDuty: string, valueForTax: string, gst: string } }> } | null } | null } };

export type AmendDeclarationMutationVariables = Exact<{
  input: AmendDeclarationInput;
}>;


export type AmendDeclarationMutation = { amendDeclaration: { transactionNumber: string, totalDutiesAndTaxes: string, currentVersionNo: number, currentVersion: { versionNo: number, kind: TransactionVersionKind, status: TransactionVersionStatus, totalDutiesAndTaxes: string, interest: string, reason: string | null, submittedBy: { bn9: string } } | null } };

export type MakePaymentMutationVariables = Exact<{
  input: MakePaymentInput;
}>;


export type MakePaymentMutation = { makePayment: { replayed: boolean, payment: { id: string, amount: string, method: PaymentMethod, reference: string | null, instrumentLast4: string | null, madeBy: { bn9: string } | null, statement: { cycleEnd: string } | null } } };

export type AccountStatementsQueryVariables = Exact<{
  bn15: string;
}>;


export type AccountStatementsQuery = { programAccount: { statements: { edges: Array<{ node: { id: string, cycleStart: string, cycleEnd: string, issueDate: string, dueDate: string, status: StatementStatus, view: StatementView, visibleCharges: string, previousBalance: string | null, currentCharges: string | null, corrections: string | null, credits: string | null, payments: string | null, interestAndPenalties: string | null, totalPayable: string | null, amountOutstanding: string | null } }> } | null } };

export type StatementsUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type StatementsUpdatedSubscription = { statementsUpdated: { id: string, cycleEnd: string, status: StatementStatus, view: StatementView, visibleCharges: string, totalPayable: string | null, programAccount: { bn15: string } } };

export type StatementUpdatedSubscriptionVariables = Exact<{
  bn15: string;
}>;


export type StatementUpdatedSubscription = { statementUpdated: { id: string, cycleStart: string, cycleEnd: string, status: StatementStatus, view: StatementView, visibleCharges: string, totalPayable: string | null } };

export type TransactionsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: TransactionFilter | null | undefined;
}>;


export type TransactionsPageQuery = { transactions: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, transactionNumber: string, releasedOn: string, programAccount: { bn15: string }, submittedBy: { bn9: string } } }> } };

export type TransactionsDeepQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type TransactionsDeepQuery = { transactions: { totalCount: number, edges: Array<{ node: { transactionNumber: string, totalDutiesAndTaxes: string, submittedBy: { legalName: string }, submittedByUser: { username: string } | null, programAccount: { bn15: string, business: { legalName: string } }, currentVersion: { versionNo: number, kind: TransactionVersionKind } | null, versions: { totalCount: number, edges: Array<{ node: { versionNo: number, submittedBy: { bn9: string }, lines: { totalCount: number, edges: Array<{ node: { lineNo: number, classificationCode: string, valueForDuty: string, customsDuty: string, gst: string } }> } | null } }> } | null } }> } };

export type TransactionByNumberQueryVariables = Exact<{
  number: string;
}>;


export type TransactionByNumberQuery = { transaction: { transactionNumber: string, totalDutiesAndTaxes: string, submittedBy: { bn9: string } } };

export const AdjustmentCaseFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdjustmentCaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustmentCase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"importer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousTotal"}},{"kind":"Field","name":{"kind":"Name","value":"proposedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"difference"}},{"kind":"Field","name":{"kind":"Name","value":"interest"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"classificationCode"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"valueForDuty"}},{"kind":"Field","name":{"kind":"Name","value":"tariffTreatment"}},{"kind":"Field","name":{"kind":"Name","value":"customsDutyRate"}},{"kind":"Field","name":{"kind":"Name","value":"sima"}},{"kind":"Field","name":{"kind":"Name","value":"excise"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"valueForTax"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisionNote"}}]}}]} as unknown as DocumentNode<AdjustmentCaseFieldsFragment, unknown>;
export const AdjustmentQueueDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdjustmentQueue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustmentQueueFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencyQueue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdjustmentCaseFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdjustmentCaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustmentCase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"importer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousTotal"}},{"kind":"Field","name":{"kind":"Name","value":"proposedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"difference"}},{"kind":"Field","name":{"kind":"Name","value":"interest"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"classificationCode"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"valueForDuty"}},{"kind":"Field","name":{"kind":"Name","value":"tariffTreatment"}},{"kind":"Field","name":{"kind":"Name","value":"customsDutyRate"}},{"kind":"Field","name":{"kind":"Name","value":"sima"}},{"kind":"Field","name":{"kind":"Name","value":"excise"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"valueForTax"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisionNote"}}]}}]} as unknown as DocumentNode<AdjustmentQueueQuery, AdjustmentQueueQueryVariables>;
export const AcceptAdjustmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcceptAdjustment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcceptAdjustmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptAdjustment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdjustmentCaseFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdjustmentCaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustmentCase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"importer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousTotal"}},{"kind":"Field","name":{"kind":"Name","value":"proposedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"difference"}},{"kind":"Field","name":{"kind":"Name","value":"interest"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"classificationCode"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"valueForDuty"}},{"kind":"Field","name":{"kind":"Name","value":"tariffTreatment"}},{"kind":"Field","name":{"kind":"Name","value":"customsDutyRate"}},{"kind":"Field","name":{"kind":"Name","value":"sima"}},{"kind":"Field","name":{"kind":"Name","value":"excise"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"valueForTax"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisionNote"}}]}}]} as unknown as DocumentNode<AcceptAdjustmentMutation, AcceptAdjustmentMutationVariables>;
export const RejectAdjustmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RejectAdjustment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RejectAdjustmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rejectAdjustment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AdjustmentCaseFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AdjustmentCaseFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustmentCase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"importer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"previousTotal"}},{"kind":"Field","name":{"kind":"Name","value":"proposedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"difference"}},{"kind":"Field","name":{"kind":"Name","value":"interest"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"classificationCode"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"valueForDuty"}},{"kind":"Field","name":{"kind":"Name","value":"tariffTreatment"}},{"kind":"Field","name":{"kind":"Name","value":"customsDutyRate"}},{"kind":"Field","name":{"kind":"Name","value":"sima"}},{"kind":"Field","name":{"kind":"Name","value":"excise"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"valueForTax"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decisionNote"}}]}}]} as unknown as DocumentNode<RejectAdjustmentMutation, RejectAdjustmentMutationVariables>;
export const BusinessOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BusinessOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bn9"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"txFirst"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"business"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bn9"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bn9"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"myRole"}},{"kind":"Field","name":{"kind":"Name","value":"programAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"myRole"}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"txFirst"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<BusinessOverviewQuery, BusinessOverviewQueryVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const NodeByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Business"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Transaction"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}}]}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const FileDeclarationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"FileDeclaration"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"FileDeclarationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fileDeclaration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"late"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"currentVersion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"sima"}},{"kind":"Field","name":{"kind":"Name","value":"excise"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"valueForTax"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<FileDeclarationMutation, FileDeclarationMutationVariables>;
export const AmendDeclarationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AmendDeclaration"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AmendDeclarationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amendDeclaration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"currentVersionNo"}},{"kind":"Field","name":{"kind":"Name","value":"currentVersion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"interest"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AmendDeclarationMutation, AmendDeclarationMutationVariables>;
export const MakePaymentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MakePayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MakePaymentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"makePayment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"instrumentLast4"}},{"kind":"Field","name":{"kind":"Name","value":"madeBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MakePaymentMutation, MakePaymentMutationVariables>;
export const AccountStatementsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountStatements"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bn15"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"24"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"issueDate"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"previousBalance"}},{"kind":"Field","name":{"kind":"Name","value":"currentCharges"}},{"kind":"Field","name":{"kind":"Name","value":"corrections"}},{"kind":"Field","name":{"kind":"Name","value":"credits"}},{"kind":"Field","name":{"kind":"Name","value":"payments"}},{"kind":"Field","name":{"kind":"Name","value":"interestAndPenalties"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}},{"kind":"Field","name":{"kind":"Name","value":"amountOutstanding"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountStatementsQuery, AccountStatementsQueryVariables>;
export const StatementsUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StatementsUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statementsUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}},{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn15"}}]}}]}}]}}]} as unknown as DocumentNode<StatementsUpdatedSubscription, StatementsUpdatedSubscriptionVariables>;
export const StatementUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StatementUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statementUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bn15"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}}]}}]}}]} as unknown as DocumentNode<StatementUpdatedSubscription, StatementUpdatedSubscriptionVariables>;
export const TransactionsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TransactionsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TransactionFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn15"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TransactionsPageQuery, TransactionsPageQueryVariables>;
export const TransactionsDeepDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TransactionsDeep"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedByUser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}}]}},{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"business"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"currentVersion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versionNo"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"classificationCode"}},{"kind":"Field","name":{"kind":"Name","value":"valueForDuty"}},{"kind":"Field","name":{"kind":"Name","value":"customsDuty"}},{"kind":"Field","name":{"kind":"Name","value":"gst"}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TransactionsDeepQuery, TransactionsDeepQueryVariables>;
export const TransactionByNumberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TransactionByNumber"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"number"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transaction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"transactionNumber"},"value":{"kind":"Variable","name":{"kind":"Name","value":"number"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bn9"}}]}}]}}]}}]} as unknown as DocumentNode<TransactionByNumberQuery, TransactionByNumberQueryVariables>;
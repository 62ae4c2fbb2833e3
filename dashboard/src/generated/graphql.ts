/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a line of a statement's journal records; debits increase what the account owes, credits decrease it. */
export type PostingKind =
  /** The difference an accepted adjustment made (an increase is a correction, a decrease a credit). */
  | 'ADJUSTMENT'
  /** Duties and taxes of a new declaration (current charges). */
  | 'CHARGE'
  /** The difference a correction made (an increase is a correction, a decrease a credit). */
  | 'CORRECTION'
  /** Interest on overdue amounts, or on an adjustment from the original due date. */
  | 'INTEREST'
  /** A payment received (a credit). */
  | 'PAYMENT'
  /** An AMPS penalty the agency assessed (a debit), or what a decided dispute cancelled of it (a credit). */
  | 'PENALTY'
  /** A refund of the account's credit balance, paid out by the agency (it uses up that credit). */
  | 'REFUND';

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

/** Where a version of a declaration stands. */
export type TransactionVersionStatus =
  /** In force (an original or correction at once; an adjustment once the agency accepts it). */
  | 'ACCEPTED'
  /** An adjustment the agency turned down. */
  | 'REJECTED'
  /** An adjustment waiting for the agency. */
  | 'UNDER_REVIEW';

export type AccountRowFragment = { id: string, bn15: string, rm: string, name: string, myRole: Role | null, myAccessExpiresAt: string | null, overdue: string | null, hasRppPrivilege: boolean | null, statements: { edges: Array<{ node: { id: string, cycleStart: string, cycleEnd: string, dueDate: string, status: StatementStatus, view: StatementView, visibleCharges: string, currentCharges: string | null, corrections: string | null, credits: string | null, payments: string | null, interestAndPenalties: string | null, refunds: string | null, previousBalance: string | null, totalPayable: string | null } }> } | null };

export type DashboardPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type DashboardPageQuery = { businesses: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node: { id: string, bn9: string, legalName: string, isServiceProvider: boolean, programAccounts: { totalCount: number, edges: Array<{ node: { id: string, bn15: string, rm: string, name: string, myRole: Role | null, myAccessExpiresAt: string | null, overdue: string | null, hasRppPrivilege: boolean | null, statements: { edges: Array<{ node: { id: string, cycleStart: string, cycleEnd: string, dueDate: string, status: StatementStatus, view: StatementView, visibleCharges: string, currentCharges: string | null, corrections: string | null, credits: string | null, payments: string | null, interestAndPenalties: string | null, refunds: string | null, previousBalance: string | null, totalPayable: string | null } }> } | null } }> } | null } }> } };

export type AccountRowRefreshQueryVariables = Exact<{
  bn15: string;
}>;


export type AccountRowRefreshQuery = { programAccount: { id: string, bn15: string, rm: string, name: string, myRole: Role | null, myAccessExpiresAt: string | null, overdue: string | null, hasRppPrivilege: boolean | null, statements: { edges: Array<{ node: { id: string, cycleStart: string, cycleEnd: string, dueDate: string, status: StatementStatus, view: StatementView, visibleCharges: string, currentCharges: string | null, corrections: string | null, credits: string | null, payments: string | null, interestAndPenalties: string | null, refunds: string | null, previousBalance: string | null, totalPayable: string | null } }> } | null } };

export type ClientCountQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type ClientCountQuery = { businesses: { totalCount: number } };

export type AccountDetailQueryVariables = Exact<{
  bn15: string;
}>;


export type AccountDetailQuery = { programAccount: { id: string, bn15: string, name: string, business: { legalName: string }, statements: { edges: Array<{ node: { id: string, cycleStart: string, cycleEnd: string, dueDate: string, status: StatementStatus, view: StatementView, postings: { totalCount: number, edges: Array<{ node: { id: string, lineNo: number, postedOn: string, kind: PostingKind, description: string, amount: string, transaction: { transactionNumber: string } | null } }> } | null } }> } | null, transactions: { totalCount: number, edges: Array<{ node: { id: string, transactionNumber: string, releasedOn: string, late: boolean, currentVersionNo: number, totalDutiesAndTaxes: string, submittedBy: { legalName: string } } }> } | null } };

export type ExportTransactionsQueryVariables = Exact<{
  filter?: TransactionFilter | null | undefined;
}>;


export type ExportTransactionsQuery = { transactionsExport: { url: string } };

export type ExportStatementPostingsQueryVariables = Exact<{
  id: string | number;
}>;


export type ExportStatementPostingsQuery = { node:
    | { __typename: 'AdjustmentCase' }
    | { __typename: 'AuditEvent' }
    | { __typename: 'Business' }
    | { __typename: 'BusinessMembership' }
    | { __typename: 'ClientGroup' }
    | { __typename: 'ClientGroupAssignment' }
    | { __typename: 'Email' }
    | { __typename: 'EmployeeAccessRequest' }
    | { __typename: 'FinancialSecurity' }
    | { __typename: 'Notification' }
    | { __typename: 'Payment' }
    | { __typename: 'Penalty' }
    | { __typename: 'PenaltyCase' }
    | { __typename: 'PenaltyDispute' }
    | { __typename: 'ProgramAccount' }
    | { __typename: 'ProgramRoleAssignment' }
    | { __typename: 'RefundCase' }
    | { __typename: 'RefundRequest' }
    | { __typename: 'Relationship' }
    | { __typename: 'RulingCase' }
    | { __typename: 'RulingRequest' }
    | { __typename: 'Statement', postingsExport: { url: string } }
    | { __typename: 'StatementPosting' }
    | { __typename: 'Transaction' }
    | { __typename: 'TransactionLine' }
    | { __typename: 'TransactionVersion' }
    | { __typename: 'User' }
   };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { viewer: { user: { username: string, displayName: string } | null } };

export type StatementsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type StatementsChangedSubscription = { statementsUpdated: { id: string, programAccount: { id: string, bn15: string } } };

export type AccessChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AccessChangedSubscription = { accessChanged: { at: string } };

export const AccountRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProgramAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"rm"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"myRole"}},{"kind":"Field","name":{"kind":"Name","value":"myAccessExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"hasRppPrivilege"}},{"kind":"Field","name":{"kind":"Name","value":"statements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"currentCharges"}},{"kind":"Field","name":{"kind":"Name","value":"corrections"}},{"kind":"Field","name":{"kind":"Name","value":"credits"}},{"kind":"Field","name":{"kind":"Name","value":"payments"}},{"kind":"Field","name":{"kind":"Name","value":"interestAndPenalties"}},{"kind":"Field","name":{"kind":"Name","value":"refunds"}},{"kind":"Field","name":{"kind":"Name","value":"previousBalance"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountRowFragment, unknown>;
export const DashboardPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"businesses"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn9"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"isServiceProvider"}},{"kind":"Field","name":{"kind":"Name","value":"programAccounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccountRow"}}]}}]}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProgramAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"rm"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"myRole"}},{"kind":"Field","name":{"kind":"Name","value":"myAccessExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"hasRppPrivilege"}},{"kind":"Field","name":{"kind":"Name","value":"statements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"currentCharges"}},{"kind":"Field","name":{"kind":"Name","value":"corrections"}},{"kind":"Field","name":{"kind":"Name","value":"credits"}},{"kind":"Field","name":{"kind":"Name","value":"payments"}},{"kind":"Field","name":{"kind":"Name","value":"interestAndPenalties"}},{"kind":"Field","name":{"kind":"Name","value":"refunds"}},{"kind":"Field","name":{"kind":"Name","value":"previousBalance"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardPageQuery, DashboardPageQueryVariables>;
export const AccountRowRefreshDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountRowRefresh"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bn15"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccountRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccountRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProgramAccount"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"rm"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"myRole"}},{"kind":"Field","name":{"kind":"Name","value":"myAccessExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"overdue"}},{"kind":"Field","name":{"kind":"Name","value":"hasRppPrivilege"}},{"kind":"Field","name":{"kind":"Name","value":"statements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"visibleCharges"}},{"kind":"Field","name":{"kind":"Name","value":"currentCharges"}},{"kind":"Field","name":{"kind":"Name","value":"corrections"}},{"kind":"Field","name":{"kind":"Name","value":"credits"}},{"kind":"Field","name":{"kind":"Name","value":"payments"}},{"kind":"Field","name":{"kind":"Name","value":"interestAndPenalties"}},{"kind":"Field","name":{"kind":"Name","value":"refunds"}},{"kind":"Field","name":{"kind":"Name","value":"previousBalance"}},{"kind":"Field","name":{"kind":"Name","value":"totalPayable"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountRowRefreshQuery, AccountRowRefreshQueryVariables>;
export const ClientCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"businesses"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"0"}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]} as unknown as DocumentNode<ClientCountQuery, ClientCountQueryVariables>;
export const AccountDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"bn15"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bn15"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"business"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cycleStart"}},{"kind":"Field","name":{"kind":"Name","value":"cycleEnd"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"view"}},{"kind":"Field","name":{"kind":"Name","value":"postings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lineNo"}},{"kind":"Field","name":{"kind":"Name","value":"postedOn"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"transaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}}]}}]}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"transactionNumber"}},{"kind":"Field","name":{"kind":"Name","value":"releasedOn"}},{"kind":"Field","name":{"kind":"Name","value":"late"}},{"kind":"Field","name":{"kind":"Name","value":"currentVersionNo"}},{"kind":"Field","name":{"kind":"Name","value":"totalDutiesAndTaxes"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"legalName"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AccountDetailQuery, AccountDetailQueryVariables>;
export const ExportTransactionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportTransactions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TransactionFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionsExport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<ExportTransactionsQuery, ExportTransactionsQueryVariables>;
export const ExportStatementPostingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportStatementPostings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Statement"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"postingsExport"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ExportStatementPostingsQuery, ExportStatementPostingsQueryVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const StatementsChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StatementsChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"statementsUpdated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"programAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bn15"}}]}}]}}]}}]} as unknown as DocumentNode<StatementsChangedSubscription, StatementsChangedSubscriptionVariables>;
export const AccessChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AccessChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<AccessChangedSubscription, AccessChangedSubscriptionVariables>;
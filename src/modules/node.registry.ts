import type { EntityTarget, ObjectLiteral } from "typeorm";
import type { NodeTypeName } from "../auth/visibility.js";
import { AuditEvent } from "./audit/audit.entity.js";
import { EmployeeAccessRequest } from "./access-request/access-request.entity.js";
import { Business } from "./business/business.entity.js";
import { ClientGroup, ClientGroupAssignment } from "./client-group/client-group.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "./membership/membership.entity.js";
import { OutboxEmail } from "./notification/email.entity.js";
import { Notification } from "./notification/notification.entity.js";
import { Payment } from "./payment/payment.entity.js";
import { ProgramAccount } from "./program-account/program-account.entity.js";
import { BusinessRelationship } from "./relationship/relationship.entity.js";
import { RulingRequest } from "./ruling/ruling.entity.js";
import { RulingCase } from "./agency/ruling-case.js";
import { AdjustmentCase } from "./agency/adjustment-case.js";
import { FinancialSecurity } from "./security/security.entity.js";
import { Penalty, PenaltyDispute } from "./penalty/penalty.entity.js";
import { RefundRequest } from "./refund/refund.entity.js";
import { PenaltyCase, RefundCase } from "./agency/penalty-case.js";
import { StatementPosting } from "./statement/posting.entity.js";
import { Statement } from "./statement/statement.entity.js";
import { Transaction, TransactionLine, TransactionVersion } from "./transaction/transaction.entity.js";
import { User } from "./user/user.entity.js";

/** Entity behind each Node type, for `node(id:)` and `accessExplanation(id:)`. */
export const nodeEntities: Record<string, EntityTarget<ObjectLiteral & { id: string }>> = {
  User,
  Business,
  ProgramAccount,
  Transaction,
  TransactionVersion,
  TransactionLine,
  Statement,
  StatementPosting,
  Payment,
  Penalty,
  PenaltyDispute,
  RefundRequest,
  PenaltyCase: Penalty,
  RefundCase: RefundRequest,
  FinancialSecurity,
  RulingRequest,
  RulingCase: RulingRequest,
  AdjustmentCase: TransactionVersion,
  BusinessMembership,
  ProgramRoleAssignment,
  EmployeeAccessRequest,
  Relationship: BusinessRelationship,
  ClientGroup,
  ClientGroupAssignment,
  Notification,
  Email: OutboxEmail,
  AuditEvent,
} satisfies Record<NodeTypeName, unknown>;

/**
 * Node types that are a view of another type's row (agency work items: a ruling request or an
 * adjustment as the agency works on it): how the row is presented as that type.
 */
export const nodePresenters: Partial<Record<NodeTypeName, (row: never) => object>> = {
  RulingCase: (row: RulingRequest) => RulingCase.of(row),
  AdjustmentCase: (row: TransactionVersion) => AdjustmentCase.of(row),
  PenaltyCase: (row: Penalty) => PenaltyCase.of(row),
  RefundCase: (row: RefundRequest) => RefundCase.of(row),
};

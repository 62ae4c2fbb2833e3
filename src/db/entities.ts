import { AuditEvent } from "../modules/audit/audit.entity.js";
import { AgencyAffinityRecord, RegistrationAttempt } from "../modules/agency/agency.entity.js";
import { EmployeeAccessRequest, EmployeeAccessRequestAccount } from "../modules/access-request/access-request.entity.js";
import { Business } from "../modules/business/business.entity.js";
import { ServerSecret } from "../modules/export/server-secret.entity.js";
import { ClientGroup, ClientGroupAssignment, ClientGroupClient } from "../modules/client-group/client-group.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "../modules/membership/membership.entity.js";
import { Notification, NotificationPreference } from "../modules/notification/notification.entity.js";
import { OutboxEmail } from "../modules/notification/email.entity.js";
import { Payment } from "../modules/payment/payment.entity.js";
import { Penalty, PenaltyDispute } from "../modules/penalty/penalty.entity.js";
import { RefundRequest } from "../modules/refund/refund.entity.js";
import { ProgramAccount } from "../modules/program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "../modules/relationship/relationship.entity.js";
import { RelationshipExpiryNotice } from "../modules/relationship/relationship-expiry.entity.js";
import { RulingAttachment, RulingRequest } from "../modules/ruling/ruling.entity.js";
import { FinancialSecurity } from "../modules/security/security.entity.js";
import { PrescribedInterestRate } from "../modules/statement/interest-rate.entity.js";
import { PostingAllocation, StatementPosting } from "../modules/statement/posting.entity.js";
import { Statement } from "../modules/statement/statement.entity.js";
import { TransactionSequence } from "../modules/transaction/sequence.entity.js";
import { Transaction, TransactionLine, TransactionVersion } from "../modules/transaction/transaction.entity.js";
import { User } from "../modules/user/user.entity.js";

export const entities = [
  User,
  Business,
  ProgramAccount,
  BusinessMembership,
  ProgramRoleAssignment,
  EmployeeAccessRequest,
  EmployeeAccessRequestAccount,
  BusinessRelationship,
  RelationshipProgramAccount,
  RelationshipExpiryNotice,
  ClientGroup,
  ClientGroupClient,
  ClientGroupAssignment,
  Transaction,
  TransactionVersion,
  TransactionLine,
  TransactionSequence,
  Statement,
  StatementPosting,
  PostingAllocation,
  PrescribedInterestRate,
  Payment,
  Penalty,
  PenaltyDispute,
  RefundRequest,
  FinancialSecurity,
  RulingRequest,
  RulingAttachment,
  Notification,
  NotificationPreference,
  OutboxEmail,
  AuditEvent,
  AgencyAffinityRecord,
  RegistrationAttempt,
  ServerSecret,
];

import "reflect-metadata";
import { getNamedType, lexicographicSortSchema, printSchema, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { buildPermissions } from "./auth/enforcement.js";
import { AccessGrantResolver, AccessResolver, AccessReviewEntryResolver } from "./modules/access/access.resolver.js";
import { AccessChangeResolver } from "./modules/access/access-change.subscription.js";
import { AuditEventResolver } from "./modules/audit/audit.resolver.js";
import { EmployeeAccessMutations } from "./modules/access-request/access-request.mutations.js";
import { ClientGroupMutations } from "./modules/client-group/client-group.mutations.js";
import { MembershipMutations } from "./modules/membership/membership.mutations.js";
import { NotificationMutations } from "./modules/notification/notification.mutations.js";
import { RegistrationResolver } from "./modules/registration/registration.resolver.js";
import { RelationshipMutations } from "./modules/relationship/relationship.mutations.js";
import { EmployeeAccessRequestResolver } from "./modules/access-request/access-request.resolver.js";
import { BusinessResolver } from "./modules/business/business.resolver.js";
import { ExportResolver, StatementExportResolver } from "./modules/export/export.resolver.js";
import { ClientGroupAssignmentResolver, ClientGroupResolver } from "./modules/client-group/client-group.resolver.js";
import { BusinessMembershipResolver, ProgramRoleAssignmentResolver } from "./modules/membership/membership.resolver.js";
import { NodeResolver } from "./modules/node.resolver.js";
import { PaymentResolver } from "./modules/payment/payment.resolver.js";
import { ProgramAccountResolver } from "./modules/program-account/program-account.resolver.js";
import { RelationshipResolver } from "./modules/relationship/relationship.resolver.js";
import { RulingRequestResolver } from "./modules/ruling/ruling.resolver.js";
import { RulingMutations } from "./modules/ruling/ruling.mutations.js";
import { BusinessMutations } from "./modules/business/business.mutations.js";
import { EstimatorResolver } from "./modules/estimator/estimator.js";
import { AgencyQueueResolver } from "./modules/agency/agency.queue.js";
import { RulingCaseResolver } from "./modules/agency/ruling-case.js";
import { RulingCaseMutations } from "./modules/agency/ruling-case.mutations.js";
import { AdjustmentCaseResolver } from "./modules/agency/adjustment-case.js";
import { AdjustmentCaseMutations } from "./modules/agency/adjustment-case.mutations.js";
import { FinancialSecurityResolver } from "./modules/security/security.resolver.js";
import { StatementPostingResolver, StatementResolver } from "./modules/statement/statement.resolver.js";
import { StatementMutations } from "./modules/statement/statement.mutations.js";
import { TransactionMutations } from "./modules/transaction/transaction.mutations.js";
import { PaymentMutations } from "./modules/payment/payment.mutations.js";
import { SecurityMutations } from "./modules/security/security.mutations.js";
import { PenaltyCaseMutations } from "./modules/agency/penalty-case.mutations.js";
import { RefundCaseMutations } from "./modules/agency/refund-case.mutations.js";
import { PenaltyCaseResolver, PenaltyDisputeCaseResolver, RefundCaseResolver } from "./modules/agency/penalty-case.js";
import { PenaltyDisputeResolver, PenaltyResolver } from "./modules/penalty/penalty.mutations.js";
import { RefundRequestResolver } from "./modules/refund/refund.mutations.js";
import { StatementSubscriptionResolver } from "./modules/statement/statement.subscription.js";
import { TransactionResolver, TransactionVersionResolver } from "./modules/transaction/transaction.resolver.js";
import { ViewerResolver } from "./modules/user/viewer.resolver.js";
import { ProfileMutations } from "./modules/user/profile.mutations.js";


export const resolvers = [
  ViewerResolver,
  NodeResolver,
  BusinessResolver,
  ProgramAccountResolver,
  TransactionResolver,
  TransactionVersionResolver,
  StatementResolver,
  StatementPostingResolver,
  ExportResolver,
  StatementExportResolver,
  StatementSubscriptionResolver,
  AccessChangeResolver,
  PaymentResolver,
  FinancialSecurityResolver,
  RulingRequestResolver,
  AgencyQueueResolver,
  RulingCaseResolver,
  AdjustmentCaseResolver,
  BusinessMembershipResolver,
  ProgramRoleAssignmentResolver,
  EmployeeAccessRequestResolver,
  RelationshipResolver,
  ClientGroupResolver,
  ClientGroupAssignmentResolver,
  AuditEventResolver,
  AccessResolver,
  AccessGrantResolver,
  AccessReviewEntryResolver,
  RegistrationResolver,
  EmployeeAccessMutations,
  MembershipMutations,
  RelationshipMutations,
  ClientGroupMutations,
  NotificationMutations,
  ProfileMutations,
  RulingMutations,
  RulingCaseMutations,
  AdjustmentCaseMutations,
  BusinessMutations,
  EstimatorResolver,
  TransactionMutations,
  PaymentMutations,
  SecurityMutations,
  StatementMutations,
  PenaltyCaseMutations,
  RefundCaseMutations,
  PenaltyCaseResolver,
  PenaltyDisputeCaseResolver,
  RefundCaseResolver,
  PenaltyResolver,
  PenaltyDisputeResolver,
  RefundRequestResolver,
] as const;

/**
 * The schema as the code declares it, before the permission layer. Subscriptions are fed by the
 * process's live hub (events/live.ts), not by type-graphql's pubsub, which it requires all the same.
 */
export async function buildRawSchema(): Promise<GraphQLSchema> {
  return describeRoots(await buildSchema({ resolvers: [...resolvers], pubSub: createPubSub(), validate: false, emitSchemaFile: false }));
}

/**
 * What the decorators cannot say: the root types' descriptions, and a mutation's `input` argument,
 * which is its input type (described there, once) rather than a second text to keep in step.
 */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const roots: [GraphQLObjectType | null | undefined, string][] = [
    [schema.getQueryType(), "Reads: everything is filtered by what you may see; another business's data answers like data that does not exist."],
    [schema.getMutationType(), "Changes: each checked against your authority, run in one database transaction, audited, and notified to whoever may see it."],
    [schema.getSubscriptionType(), "Live events over WebSocket (graphql-ws): each event filtered by what you may see when it happens."],
  ];
  for (const [type, description] of roots) if (type && !type.description) type.description = description;
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    for (const arg of field.args) {
      const input = getNamedType(arg.type);
      if (arg.name === "input" && !arg.description && input.description) arg.description = input.description;
    }
  }
  return schema;
}

/** The served schema: objects admitted by their type's rule, stricter fields guarded by the shield (deny by default). */
export async function buildAppSchema(): Promise<{ raw: GraphQLSchema; schema: GraphQLSchema }> {
  const raw = await buildRawSchema();
  const permissions = buildPermissions(raw);
  return { raw, schema: applyMiddleware(raw, permissions.shield as never, permissions.admission) };
}

/** The SDL committed as schema.graphql (sorted, so diffs show real changes only). */
export function printSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + "\n";
}

import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, Extensions, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Role } from "../../common/enums.js";
import { ConnectionArgs } from "../../common/connection.js";
import { badInput } from "../../common/errors.js";
import { childPage, rootPage, selectedUnderNodes, withDefaultPageSize } from "../../common/lists.js";
import { auditList } from "../audit/audit.service.js";
import { accessRequestList } from "../access-request/access-request.service.js";
import { clientGroupList } from "../client-group/client-group.service.js";
import { memberList } from "../membership/membership.service.js";
import { programAccountList } from "../program-account/program-account.service.js";
import { relationshipList } from "../relationship/relationship.service.js";
import {
  AuditEventConnection,
  BusinessConnection,
  BusinessMembershipConnection,
  ClientGroupConnection,
  EmployeeAccessRequestConnection,
  ProgramAccountConnection,
  RelationshipConnection,
} from "../connections.js";
import { AccessRequestStatus } from "../../common/enums.js";
import { Business } from "./business.entity.js";
import { businessByBn9, businessList, BusinessOrder } from "./business.service.js";
import { MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS } from "./business.search.js";

/**
 * A business's program accounts come 10 to a page unless `first`/`last` says otherwise: a business
 * has a few accounts (RM0001 windows, RM0002 doors), and the operation cost counts an unsized list at
 * its default page size (src/limits), so a list nested under each account (its transactions) may
 * grow without the accounts' default weighing 20 times what it holds.
 */
const ACCOUNTS_PAGE_SIZE = 10;

@Resolver(() => Business)
export class BusinessResolver {
  @Query(() => Business, { description: "A business you belong to or act for, by its BN9." })
  business(@Ctx() ctx: Context, @Arg("bn9", () => String, { description: "The business number: 9 digits, the last a check digit." }) bn9: string) {
    return businessByBn9(ctx, bn9);
  }

  @Query(() => BusinessConnection, { description: "Businesses you belong to or act for (as a service provider), by legal name unless orderBy says otherwise." })
  async businesses(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("search", () => String, {
      nullable: true,
      description:
        `Narrows the list (never widens it): words of the legal name, each contained in it, in any order, case-insensitive ("windows leaf"); up to 9 digits, a BN9 prefix; ` +
        `a BN15 or its start ("711223347RM0001"), the business holding a program account you may see; 14 digits, a transaction number, the business whose account holds a transaction you may see. At most ${MAX_SEARCH_LENGTH} characters, ${MAX_SEARCH_WORDS} words.`,
    })
    search: string | null,
    @Arg("orderBy", () => BusinessOrder, { nullable: true, description: "The order (default: legal name, A first); ties by id. Cursors carry it." })
    orderBy: BusinessOrder | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    // A client list usually shows each business's program accounts: read with it where it can be (rootPage).
    const accounts = selectedUnderNodes(info, "Business", "programAccounts");
    return rootPage(
      ctx,
      await businessList(ctx, search, orderBy),
      args,
      accounts && { name: "business.programAccounts", spec: programAccountList(ctx), args: withDefaultPageSize(accounts, ACCOUNTS_PAGE_SIZE) },
    );
  }

  @FieldResolver(() => Role, { nullable: true, description: "Your own role in this business: BAM, or your strongest program role; null if you only act for it as a provider." })
  myRole(@Ctx() ctx: Context, @Root() b: Business) {
    return ctx.access.businessRole(b.id);
  }

  @FieldResolver(() => ProgramAccountConnection, {
    nullable: true,
    description: `Program accounts you can reach, ${ACCOUNTS_PAGE_SIZE} to a page unless \`first\` or \`last\` says otherwise.`,
  })
  @Extensions({ defaultPageSize: ACCOUNTS_PAGE_SIZE })
  programAccounts(@Ctx() ctx: Context, @Root() b: Business, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "business.programAccounts", programAccountList(ctx), withDefaultPageSize(args, ACCOUNTS_PAGE_SIZE), b.id);
  }

  @FieldResolver(() => BusinessMembershipConnection, { nullable: true, description: "Employees and BAMs (managers only)." })
  members(@Ctx() ctx: Context, @Root() b: Business, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "business.members", memberList(ctx), args, b.id);
  }

  @FieldResolver(() => RelationshipConnection, { nullable: true, description: "Relationships with service providers (as client) or clients (as provider); managers only." })
  relationships(@Ctx() ctx: Context, @Root() b: Business, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "business.relationships", relationshipList(ctx, { nestedUnderBusiness: true }), args, b.id);
  }

  @FieldResolver(() => EmployeeAccessRequestConnection, { nullable: true, description: "Employee access requests you can decide." })
  accessRequests(
    @Ctx() ctx: Context,
    @Root() b: Business,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("status", () => AccessRequestStatus, { nullable: true, description: "Only requests in this status (all of them when left out)." }) status: AccessRequestStatus | null,
  ) {
    return childPage(ctx, `business.accessRequests.${status ?? "all"}`, accessRequestList(ctx, { nested: true, status }), args, b.id);
  }

  @FieldResolver(() => ClientGroupConnection, { nullable: true, description: "A service provider's client groups." })
  clientGroups(@Ctx() ctx: Context, @Root() b: Business, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "business.clientGroups", clientGroupList(ctx), args, b.id);
  }

  @FieldResolver(() => AuditEventConnection, { nullable: true, description: "The business's audit trail, newest first (BAM only)." })
  auditEvents(
    @Ctx() ctx: Context,
    @Root() b: Business,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("action", () => String, { nullable: true, description: "Only this action, e.g. relationship.approved." }) action: string | null,
    @Arg("since", () => Date, { nullable: true, description: "Only events at or after this instant." }) since: Date | null,
    @Arg("until", () => Date, { nullable: true, description: "Only events before this instant." }) until: Date | null,
  ) {
    if (since && until && since >= until) throw badInput('"since" must be before "until".', "since");
    const key = `business.auditEvents.${JSON.stringify([action, since, until])}`;
    return childPage(ctx, key, auditList(ctx, { action, since, until }), args, b.id);
  }
}

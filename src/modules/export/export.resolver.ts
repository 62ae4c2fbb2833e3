import { Arg, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from "type-graphql";
import { unauthenticated } from "../../common/errors.js";
import type { Context } from "../../context.js";
import { Statement } from "../statement/statement.entity.js";
import { TransactionFilter, TransactionOrder, transactionList } from "../transaction/transaction.service.js";
import { signExport, type ExportRequest } from "./export-link.js";

/** How long a download link lasts (never longer than the token it was asked for with). */
export const EXPORT_LINK_SECONDS = 300;

@ObjectType({ description: "A short-lived link that downloads a CSV export of what you may see, as you may see it when it is downloaded." })
export class ExportLink {
  @Field(() => String, {
    description:
      "Where to download it: a path on this API's origin (/exports/...), to open in the browser or fetch without an Authorization header: the link says who asked. " +
      "Lasts a few minutes; ask for a new one after that.",
  })
  url!: string;

  @Field(() => Date, { description: "When the link stops working (at most 5 minutes from now, and not after your token expires)." })
  expiresAt!: Date;
}

/** A link for `request`, for the signed-in viewer, lasting EXPORT_LINK_SECONDS and no longer than their token. */
async function linkFor(ctx: Context, request: ExportRequest): Promise<ExportLink> {
  if (!ctx.viewer || !ctx.subject) throw unauthenticated();
  const until = Math.min(Date.now() + EXPORT_LINK_SECONDS * 1000, ctx.tokenExpiresAt ?? Number.POSITIVE_INFINITY);
  const expiresAt = Math.floor(until / 1000);
  const token = await signExport(ctx.db, { userId: ctx.viewer.id, subject: ctx.subject, request, expiresAt });
  return { url: `/exports/${request.kind}/${token}`, expiresAt: new Date(expiresAt * 1000) };
}

/** The filter as the link carries it: every field that is set, as given (checked again when downloaded). */
function filterOf(filter: TransactionFilter | null): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v !== null && v !== undefined));
}

/** The order as the link carries it (checked again when downloaded). */
function orderOf(orderBy: TransactionOrder | null): { field: string; direction?: string } | undefined {
  return orderBy ? { field: orderBy.field, ...(orderBy.direction ? { direction: orderBy.direction } : {}) } : undefined;
}

@Resolver()
export class ExportResolver {
  @Query(() => ExportLink, {
    description:
      "A link to download, as CSV, the transactions `transactions(filter:, orderBy:)` lists for you (all of them, in the list's order, streamed): " +
      "the same rules, read again when the file is downloaded.",
  })
  async transactionsExport(
    @Ctx() ctx: Context,
    @Arg("filter", () => TransactionFilter, { nullable: true, description: "The same filter as `transactions(filter:)`: the file holds the rows that list shows. All of them if omitted." })
    filter: TransactionFilter | null,
    @Arg("orderBy", () => TransactionOrder, { nullable: true, description: "The same order as `transactions(orderBy:)` (default: newest release first); ties by id." })
    orderBy: TransactionOrder | null,
  ): Promise<ExportLink> {
    // A filter or order the list would refuse is refused now (BAD_USER_INPUT naming the field), not at download.
    await transactionList(ctx, filter, orderBy);
    const order = orderOf(orderBy);
    return linkFor(ctx, { kind: "transactions", filter: filterOf(filter), ...(order ? { orderBy: order } : {}) });
  }
}

@Resolver(() => Statement)
export class StatementExportResolver {
  @FieldResolver(() => ExportLink, {
    description: "A link to download this statement's journal (`postings`, the lines you may see) as CSV, read again when the file is downloaded.",
  })
  postingsExport(@Ctx() ctx: Context, @Root() s: Statement): Promise<ExportLink> {
    return linkFor(ctx, { kind: "postings", statementId: s.id });
  }
}

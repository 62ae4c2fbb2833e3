/**
 * The list arguments that make PostgreSQL read every row a person may see before it can return the
 * first page: an order or a filter on a value no index holds (the amount and status a person sees of
 * a transaction are worked out per row from the versions their grants let through: see
 * auth/conditions.ts visibleTotal). A page by release date reads its 20 rows through an index; a
 * page by amount reads the whole book (3.7 s for a broker seeing 480,000 transactions, docs/front-end.md,
 * "Search and sort"). Each such list costs WHOLE_LIST_READ more in the operation's estimate, so that
 * a client cannot ask for many of them in one operation, and a cost budget counts them for what
 * they are.
 */

/** As much as a full page of 100 rows of 10 fields. */
export const WHOLE_LIST_READ = 1000;

type Args = Record<string, unknown>;
const object = (v: unknown): Args | null => (v && typeof v === "object" ? (v as Args) : null);

/** Per list field (`Type.field`): whether its arguments make it read the whole list. */
const READS_WHOLE_LIST: Record<string, (args: Args) => boolean> = {
  "Query.transactions": (args) => {
    const order = object(args.orderBy);
    const filter = object(args.filter);
    return order?.field === "AMOUNT" || (filter !== null && (filter.amountMin != null || filter.amountMax != null || filter.status != null));
  },
};

/** What a list field's arguments add to its estimated cost. */
export function wholeListReadCost(typeName: string, fieldName: string, args: Args): number {
  return READS_WHOLE_LIST[`${typeName}.${fieldName}`]?.(args) ? WHOLE_LIST_READ : 0;
}

import { employeeRequestCondition } from "../../auth/conditions.js";
import type { Context } from "../../context.js";
import type { AccessRequestStatus } from "../../common/enums.js";
import type { ListSpec } from "../../common/lists.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { query, sql, uuids } from "../../db/sql.js";
import { groupBy } from "../../common/collections.js";
import { EmployeeAccessRequest } from "./access-request.entity.js";

/**
 * Requests the viewer may see: those they made, and those they may decide (the business's BAMs
 * every one; a PAM those naming only program accounts they manage): conditions.ts,
 * employeeRequestCondition, also behind each request's visibility check.
 */
export function accessRequestList(ctx: Context, opts: { nested: boolean; status: AccessRequestStatus | null; ownOnly?: boolean }): ListSpec<EmployeeAccessRequest> {
  const whose = opts.ownOnly ? sql`ar.user_id = ${viewerIdOrNone(ctx)}::uuid` : employeeRequestCondition(ctx.access, "ar");
  return {
    entity: EmployeeAccessRequest,
    from: sql`employee_access_requests ar`,
    alias: "ar",
    sort: { expr: "ar.created_at", type: "timestamptz" },
    direction: "DESC",
    parent: opts.nested ? "ar.business_id" : undefined,
    where: sql`${whose}${opts.status ? sql` AND ar.status = ${opts.status}` : sql``}`,
    visibleAs: "EmployeeAccessRequest",
  };
}

/** The program accounts each request names (BN15s, in order), one query per batch of requests. */
export function namedAccounts(ctx: Context, requestId: string): Promise<string[]> {
  return ctx.loaders
    .custom<string[]>("employeeRequest.accounts", async (ids) => {
      const rows = await query<{ request_id: string; bn15: string }>(
        ctx.db,
        sql`SELECT x.request_id, pa.bn15 FROM employee_access_request_accounts x JOIN program_accounts pa ON pa.id = x.program_account_id
             WHERE x.request_id = ANY(${uuids(ids)}) ORDER BY pa.bn15`,
      );
      const byRequest = groupBy(rows, (r) => r.request_id);
      return ids.map((id) => (byRequest.get(id) ?? []).map((r) => r.bn15));
    })
    .load(requestId);
}

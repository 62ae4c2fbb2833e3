import { query, type Queryable } from "../db/sql.js";
import { grantsDriftSql } from "./grants.js";

/** A row on which the grants table and the relation computed from the tables disagree. */
export interface GrantDrift {
  /** "stale": in the table, not in the relation (a grant that should be gone); "missing": the reverse. */
  side: "stale" | "missing";
  user_id: string;
  program_account_id: string;
  via: string;
  relationship_id: string | null;
  client_group_id: string | null;
  role: string;
}

/**
 * Every difference between the table and its definition (none when the table is true). Reads the
 * whole relation twice: for operators (npm run grants:check) and tests, not for requests.
 */
export function grantsDrift(db: Queryable): Promise<GrantDrift[]> {
  return query<GrantDrift>(db, grantsDriftSql());
}

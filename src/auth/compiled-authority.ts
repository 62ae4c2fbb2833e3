import { Role } from "../common/enums.js";
import { raw, sql, type Sql } from "../db/sql.js";
import { admission, permissionMap } from "./permissions.js";
import { rank, rolesAllowing, type Action } from "./policy.js";
import { admitted, allow, formOf, type IRule, type RuleForm } from "./rules.js";

/**
 * How the compiled path (src/planner) may serve each field's rule: asked once per selected field when
 * an operation is planned, never per row. The answer is read from the permission map itself
 * (permissions.ts) and the form each rule declares with it (rules.ts, `formOf`), so the table below
 * cannot drift from what the shield enforces:
 *
 * | the field's rule (permissions.ts)                  | compiled as                                                       |
 * | -------------------------------------------------- | ----------------------------------------------------------------- |
 * | `admitted` (its object's admission)                | the object's admission: the SQL condition its list or check uses |
 * | `isAuthenticated`                                  | the viewer is signed in (checked before the statement runs)       |
 * | `visible.<Type>` on an object known visible        | nothing more (the object entered through that type's condition)   |
 * | `onAccount(action, "id")` (a role on the account)  | the strongest role on the account allows it: else the general path answers (its error) |
 * | anything else, or no rule at all                   | not compiled: the whole operation takes the general path           |
 *
 * Deny by default: a type or field missing from the map, a rule of the shield's own (allow), or a
 * rule of ours that declares no form is "general". A rule that may refuse some rows with an error
 * (role on account) is checked in the statement, and a refused row sends the whole request to the
 * general path, which answers with its own error and null: the compiled path never writes an error.
 */
export type CompiledAuthority =
  | { kind: "admission" }
  | { kind: "rule"; form: RuleForm }
  | { kind: "general"; reason: string };

const formsServed = new Set<RuleForm["kind"]>(["signed in", "visible", "role on account"]);

function authorityOf(r: IRule | undefined, what: string): CompiledAuthority {
  if (r === undefined) return { kind: "general", reason: `${what} has no rule` };
  if (r === admitted) return { kind: "admission" };
  if (r === allow) return { kind: "general", reason: `${what} is allowed to anyone: not a rule the compiled path serves` };
  const form = formOf(r);
  if (!form || !formsServed.has(form.kind)) return { kind: "general", reason: `${what}'s rule has no SQL form` };
  return { kind: "rule", form };
}

/** The rule of field `field` of `type`, as the compiled path may serve it. */
export function fieldAuthority(type: string, field: string): CompiledAuthority {
  return authorityOf(permissionMap[type]?.[field], `${type}.${field}`);
}

/** The admission rule of objects of `type`, as the compiled path may serve it. */
export function admissionAuthority(type: string): CompiledAuthority {
  return authorityOf(admission[type], `admission of ${type}`);
}

/** Roles held on a program account, weakest first (policy.ts's ranks), as an SQL text[]. */
const RANKED = [Role.EXPIRED, Role.READER, Role.EDITOR, Role.PAM, Role.BAM].sort((a, b) => rank(a) - rank(b));

/**
 * The viewer's strongest role on the account `account` among the grants `grants` (a FROM item of the
 * viewer's grants relation, grants.ts, given the alias it is read under): what Access.roleOn answers
 * (own paths and relationship paths, the strongest of them), as an SQL text expression (null: out of reach).
 */
export function strongestRoleSql(grants: (alias: string) => Sql, account: Sql): Sql {
  return sql`(SELECT sg.role FROM ${grants("sg")} WHERE sg.program_account_id = ${account}
     ORDER BY array_position(${raw(`ARRAY[${RANKED.map((r) => `'${r}'`).join(", ")}]::text[]`)}, sg.role) DESC NULLS LAST LIMIT 1)`;
}

/** The role (an SQL text expression) allows `action` (policy.ts's table; null allows nothing). */
export function roleAllowsSql(role: Sql, action: Action): Sql {
  return sql`coalesce(${role} = ANY(${rolesAllowing(action)}::text[]), false)`;
}

import { createRequire } from "node:module";
import type { IRule as ShieldRuleBase } from "graphql-shield";
import type { Context } from "../context.js";
import { appError, forbidden, unauthenticated } from "../common/errors.js";
import { writeAuthority } from "./authority.js";
import type { Authority, Gate } from "./write-rules.js";
import type { Action } from "./policy.js";
import { checks, rulingAttachmentVisible } from "./visibility.js";

// graphql-shield's ES module build imports `isUndefined` from node:util, which Node 23 removed, so
// importing it fails to link on Node 24 (upstream issue maticzav/graphql-shield#1561; 7.6.5 is the
// latest). Its CommonJS build reads the function only when a logic rule (and/or/race) runs, which
// this policy does not use; loading that build keeps the server starting on every Node from 20.19.
export const { allow, rule, shield } = createRequire(import.meta.url)("graphql-shield") as typeof import("graphql-shield");

/**
 * The rules the permission map (permissions.ts) is written in: graphql-shield rules over the
 * request's Access, each also evaluable on its own for admission (enforcement.ts). Keep them cheap
 * and synchronous over what the request already loaded where they can be.
 */

/** A rule of ours or one of the shield's constants (allow). */
export type IRule = ShieldRuleBase | typeof allow;

type Check = (ctx: Context, parent: never) => boolean | Promise<boolean>;

export type Decision = true | Error;

/** How each of our rules decides, for admission (which must not swallow a failing query into a denial). */
const evaluators = new WeakMap<object, (parent: unknown, ctx: Context) => Decision | Promise<Decision>>();

/** The evaluation of a rule of ours on an object (undefined for the shield's constants and foreign rules). */
export const evaluatorOf = (r: IRule) => evaluators.get(r as object);

/**
 * What a rule decides, in terms the compiled path can state in SQL (auth/compiled-authority.ts):
 * declared with the rule itself, so that a rule without a declared form is never compiled.
 */
export type RuleForm =
  | { kind: "signed in" }
  | { kind: "visible"; type: string }
  | { kind: "role on account"; action: Action; field: string };
const forms = new WeakMap<object, RuleForm>();

/** The declared form of a rule of ours (undefined: none, and the compiled path does not serve it). */
export const formOf = (r: IRule): RuleForm | undefined => forms.get(r as object);
const declared = (r: IRule, form: RuleForm): IRule => {
  forms.set(r as object, form);
  return r;
};

function guard(name: string, check: Check, opts: { perObject?: boolean } = {}): IRule {
  const evaluate = (parent: unknown, ctx: Context): Decision | Promise<Decision> => {
    if (!ctx.viewer) return ctx.subject ? unauthenticated(NO_PROFILE) : unauthenticated();
    const decide = (ok: boolean): Decision => (ok ? true : forbidden(`You do not have access to this (${name}).`));
    if (!opts.perObject || typeof parent !== "object" || parent === null) {
      const result = check(ctx, parent as never);
      return typeof result === "boolean" ? decide(result) : result.then(decide);
    }
    // A type-wide rule asks the same question for every field of an object: decide once per
    // object per request (the shield's own "strict" cache would hash the whole parent each time).
    let memo = ctx.decisions.get(name);
    if (!memo) ctx.decisions.set(name, (memo = new WeakMap()));
    let decision = memo.get(parent);
    if (decision === undefined) memo.set(parent, (decision = check(ctx, parent as never)));
    return typeof decision === "boolean" ? decide(decision) : decision.then(decide);
  };
  const r = rule(name, { cache: "no_cache" })((parent: unknown, _args: unknown, ctx: Context) => evaluate(parent, ctx));
  evaluators.set(r, evaluate);
  return r;
}

const NO_PROFILE = "You are signed in but have no portal profile yet: create it with createProfile.";

export const isAuthenticated = declared(guard("signed in", () => true), { kind: "signed in" });

export const isSelf = guard("own profile", (ctx, u: { id: string }) => ctx.viewer!.id === u.id);

/** Agency staff (a platform role): the agency's queues and work items, and nothing of any business (agency.ts). */
export const agencyOfficer = guard("agency officer", (ctx) => ctx.access.isAgencyOfficer);

/** The type-wide visibility check from visibility.ts, as a rule. */
export const visible = Object.fromEntries(
  Object.entries(checks).map(([type, check]) => [type, declared(guard(`visible ${type}`, check as Check, { perObject: true }), { kind: "visible", type })]),
) as Record<keyof typeof checks, IRule>;

export const rulingAttachment = guard("visible ruling attachment", rulingAttachmentVisible as Check, { perObject: true });

/** Own preferences only. */
export const ownPreference = guard("own preference", (ctx, p: { userId: string }) => ctx.viewer!.id === p.userId);

/** `action` on the program account the object names (`field`), by the role table. */
export const onAccount = (action: Action, field = "programAccountId") =>
  declared(guard(action, (ctx, p: Record<string, string>) => ctx.access.can(action, field === "id" ? p.id! : p[field]!), { perObject: true }), {
    kind: "role on account",
    action,
    field,
  });

/** Payment details (a payment's or refund's reference, card digits): not for Readers. One rule object, for every field that carries them. */
export const paymentDetails = onAccount("VIEW_PAYMENT_DETAILS");

/** `action` in the business (the object itself), by the person's own role there. */
export const onBusiness = (action: Action) => guard(action, (ctx, b: { id: string }) => ctx.access.canOnBusiness(action, b.id));

/** A member of the business (the object itself). */
export const memberOf = (name: string) => guard(name, (ctx, b: { id: string }) => ctx.access.isMember(b.id));

/**
 * Marks a field whose rule is its type's admission rule: checked when the object entered the
 * response, so the field itself is not wrapped. Never evaluated (it would deny if it were).
 */
export const admitted = rule("admitted", { cache: "no_cache" })(() => forbidden("This field is guarded by its object's admission rule."));

/** Give `r` to each listed field. */
export const each = (r: IRule, fields: string[]): Record<string, IRule> => Object.fromEntries(fields.map((f) => [f, r]));

/**
 * A mutation's rule: the gate of its declared authority (authority.ts), the part that knows nothing
 * of the target, checked before the resolver; the rest runs in the mutation runner, before and inside
 * the transaction. It records which mutation is being resolved, so that the resolver runs under its
 * own declaration and no other (application/mutation.ts).
 */
function declaredGate(name: string, gate: Gate): IRule {
  return rule(`authority of ${name}`, { cache: "no_cache" })((_parent: unknown, _args: unknown, ctx: Context) => {
    // Signed in at the identity provider, with no portal profile yet: may create one, nothing else.
    if (gate.kind === "no profile") {
      if (ctx.viewer) return appError("CONFLICT", "You already have a portal profile.");
      return ctx.subject ? true : unauthenticated();
    }
    if (!ctx.viewer) return ctx.subject ? unauthenticated(NO_PROFILE) : unauthenticated();
    if (gate.kind === "agency" && !ctx.access.agencyCan(gate.action)) return forbidden(gate.refusal);
    ctx.mutation = name;
    return true;
  });
}

/** Every mutation's rule, from its declared authority. */
export const mutationRules: Record<string, IRule> = Object.fromEntries(
  Object.entries(writeAuthority as Record<string, Authority<unknown, unknown>>).map(([name, a]) => [name, declaredGate(name, a.gate)]),
);

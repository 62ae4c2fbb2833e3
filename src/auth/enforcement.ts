import type { IMiddlewareFunction } from "graphql-middleware";
import { getNamedType, isAbstractType, isObjectType, type GraphQLField, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import type { Context } from "../context.js";
import { forbidden } from "../common/errors.js";
import { admission, isStructuralType, permissionMap } from "./permissions.js";
import { admitted, allow, evaluatorOf, rule, shield, type IRule } from "./rules.js";

/**
 * How the permission map (permissions.ts) is enforced, both from that one map:
 * - **Admission** on every field that returns a guarded object: the object's type's admission rule,
 *   once per object, synchronous whenever the decisions are.
 * - **graphql-shield** on every field whose rule is not its type's admission (all others: deny).
 * This is the same deny-by-default map as wrapping every field, at a fraction of the cost on large
 * responses (`npm run bench:shield`).
 */

const isRootType = (schema: GraphQLSchema, name: string) =>
  [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].some((t) => t?.name === name);

/** The GraphQL type of a value returned where an interface (Node) is expected. */
function concreteTypeName(value: unknown, info: GraphQLResolveInfo, declared: string): string {
  const type = info.schema.getType(declared);
  if (!type || !isAbstractType(type)) return declared;
  const ctor = (value as { constructor?: { graphqlType?: string; name?: string } }).constructor;
  return ctor?.graphqlType ?? ctor?.name ?? declared;
}

/** Checks each object a field returns against its type's admission rule (null passes: nothing enters). */
function admissionMiddleware(declared: string): IMiddlewareFunction {
  return (resolve, parent, args, ctx: Context, info) => {
    // Synchronous whenever the value and the decisions are (objects a filtered list marked visible):
    // most objects of a large response then cost no promise of their own.
    const admitted = (value: unknown): unknown => {
      const pending: Promise<void>[] = [];
      const admit = (v: unknown): void => {
        if (v === null || v === undefined) return;
        if (Array.isArray(v)) return v.forEach(admit);
        const typeName = concreteTypeName(v, info, declared);
        const r = admission[typeName];
        if (r === allow) return;
        const evaluate = r && evaluatorOf(r);
        if (!evaluate) throw forbidden(`Objects of type ${typeName} have no admission rule, so they are denied.`);
        const decision = evaluate(v, ctx);
        if (decision instanceof Promise) {
          pending.push(
            decision.then((d) => {
              if (d !== true) throw d;
            }),
          );
        } else if (decision !== true) throw decision;
      };
      admit(value);
      return pending.length ? Promise.all(pending).then(() => value) : value;
    };
    const value = resolve(parent, args, ctx, info);
    return (value instanceof Promise ? value.then(admitted) : admitted(value)) as Promise<unknown>;
  };
}

/**
 * The permission layer of a schema: admission on every field that returns a guarded object, and
 * graphql-shield on every field whose rule is not its type's admission (all others: deny).
 */
export function buildPermissions(schema: GraphQLSchema): { admission: Record<string, Record<string, IMiddlewareFunction>>; shield: Record<string, Record<string, unknown>> } {
  const map: Record<string, Record<string, IRule> | IRule> = { ...permissionMap };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && !type.name.startsWith("__") && isStructuralType(type.name)) map[type.name] = allow;
  }
  const generated = (shield(map, shieldOptions) as unknown as { generate(s: GraphQLSchema): Record<string, Record<string, unknown>> }).generate(schema);
  const shieldMap: Record<string, Record<string, unknown>> = {};
  const admissionMap: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const [fieldName, field] of Object.entries(type.getFields()) as [string, GraphQLField<unknown, unknown>][]) {
      const fieldRule = permissionMap[type.name]?.[fieldName];
      if (fieldRule === admitted && isRootType(schema, type.name)) {
        throw new Error(`${type.name}.${fieldName}: root fields have no admission; give them a rule`);
      }
      // Its own rule, or (missing) the shield's fallback deny; wrappers of pages carry no data.
      if (fieldRule !== admitted && !isStructuralType(type.name)) (shieldMap[type.name] ??= {})[fieldName] = generated[type.name]![fieldName];
      const returned = getNamedType(field.type);
      if ((isObjectType(returned) && !isStructuralType(returned.name)) || isAbstractType(returned)) {
        if (isObjectType(returned) && admission[returned.name] === allow) continue;
        (admissionMap[type.name] ??= {})[fieldName] = admissionMiddleware(returned.name);
      }
    }
  }
  return { admission: admissionMap, shield: shieldMap };
}

export const shieldOptions = {
  fallbackRule: rule("deny by default", { cache: "no_cache" })(() => forbidden("This field has no permission rule, so it is denied.")),
  // Resolver errors (NOT_FOUND, BAD_USER_INPUT) pass through; rules that throw become FORBIDDEN.
  allowExternalErrors: true,
  fallbackError: () => forbidden(),
  debug: false,
};

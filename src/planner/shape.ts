import {
  Kind,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  getNamedType,
  visit,
} from "graphql";
import { collectFields, collectSubfields } from "graphql/execution/collectFields.js";
import { admissionAuthority, fieldAuthority } from "../auth/compiled-authority.js";
import type { RuleForm } from "../auth/rules.js";
import { roots, types, type CatalogueField, type RootField } from "./catalogue.js";

/**
 * An operation as the compiled path reads it: its selections resolved once (fragments flattened,
 * `@skip`/`@include` with literal conditions applied, fields merged by response key in the order
 * graphql-js executes them), each field checked against the catalogue (what can be read in SQL) and
 * the permission map (who may see it: auth/compiled-authority.ts). Either a shape, or the reason it
 * takes the general path. Decided once per operation, for every request that sends it.
 *
 * Why one file of ~250 lines: it is one walk over an operation's selections (roots, objects,
 * connections, each calling the others), with the shape it produces; split, the recursion would be.
 */

type AnyField = GraphQLField<unknown, unknown>;

export type Value =
  | { kind: "typename"; name: string }
  | { kind: "scalar"; field: Extract<CatalogueField, { kind: "scalar" }> }
  | { kind: "object"; field: Extract<CatalogueField, { kind: "object" }>; selection: Part[] }
  | { kind: "connection"; field: Extract<CatalogueField, { kind: "list" }>; definition: AnyField; node: FieldNode; selection: ConnectionPart[]; guard: RuleForm | null };

export interface Part {
  key: string;
  value: Value;
}

export type PageInfoValue = "hasNextPage" | "hasPreviousPage" | "startCursor" | "endCursor";
export type ConnectionValue =
  | { kind: "typename"; name: string }
  | { kind: "edges"; selection: { key: string; value: { kind: "typename"; name: string } | { kind: "cursor" } | { kind: "node"; selection: Part[] } }[] }
  | { kind: "pageInfo"; selection: { key: string; value: { kind: "typename"; name: string } | { kind: PageInfoValue } }[] };
export interface ConnectionPart {
  key: string;
  value: ConnectionValue;
}

export interface RootPart {
  key: string;
  root: RootField;
  definition: AnyField;
  node: FieldNode;
  /** The root object's selection (kind "one"), or the connection's (kind "list"). */
  selection: Part[] | ConnectionPart[];
}

export interface Shape {
  name: string | null;
  roots: RootPart[];
  /** Whether the statement reads the viewer's grants on the root's businesses. */
  grants: boolean;
}

class NotCovered extends Error {}
const refuse = (reason: string): never => {
  throw new NotCovered(reason);
};

/** The operation's shape, or why it is not compiled. */
export function shapeOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): { shape: Shape } | { reason: string } {
  try {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    if (!operation) return { reason: "no single operation to run" };
    if (operation.operation !== "query") return { reason: `a ${operation.operation}` };
    // A directive's condition from a variable would make the shape depend on the request.
    visit(operation, {
      Directive(node) {
        if (node.name.value !== "skip" && node.name.value !== "include") refuse(`directive @${node.name.value}`);
        if (node.arguments?.some((a) => a.value.kind !== Kind.BOOLEAN)) refuse(`@${node.name.value} with a variable`);
        return undefined;
      },
    });
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    for (const f of Object.values(fragments)) {
      visit(f, {
        Directive(node) {
          if (node.arguments?.some((a) => a.value.kind !== Kind.BOOLEAN) || (node.name.value !== "skip" && node.name.value !== "include")) refuse(`directive @${node.name.value} in a fragment`);
          return undefined;
        },
      });
    }
    const walker = new Walker(schema, fragments);
    const shape = walker.operation(operation);
    return { shape: { ...shape, name: operation.name?.value ?? null } };
  } catch (e) {
    if (e instanceof NotCovered) return { reason: e.message };
    throw e;
  }
}

class Walker {
  grants = false;
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  operation(operation: OperationDefinitionNode): Omit<Shape, "name"> {
    const query = this.schema.getQueryType()!;
    const fields = collectFields(this.schema, this.fragments, {}, query, operation.selectionSet);
    const parts: RootPart[] = [];
    for (const [key, nodes] of fields) {
      const node = nodes[0]!;
      const name = node.name.value;
      if (name === "__typename") refuse("__typename of the root");
      const root = roots[name];
      if (!root) refuse(`Query.${name} is not compiled`);
      const authority = fieldAuthority("Query", name);
      if (authority.kind !== "rule" || authority.form.kind !== "signed in") refuse(`Query.${name}: its rule is not compiled`);
      const definition = query.getFields()[name]!;
      const type = this.objectType(definition);
      if (root!.kind === "one") {
        if (type.name !== root!.type) refuse(`Query.${name}: unexpected type`);
        this.admitted(root!.type, true);
        // Grants are read for the root's businesses (the nested lists and roles under it).
        parts.push({ key, root: root!, definition, node, selection: this.object(type, nodes, { root: true }) });
      } else {
        parts.push({ key, root: root!, definition, node, selection: this.connection(type, nodes, root!.type, { root: true }) });
      }
    }
    return { roots: parts, grants: this.grants };
  }

  private objectType(definition: AnyField): GraphQLObjectType {
    const type = getNamedType(definition.type);
    if (!isObjectType(type)) refuse(`${definition.name}: not an object type`);
    return type as GraphQLObjectType;
  }

  /** An object entering the response: its admission rule must be one the statement applies. */
  private admitted(type: string, knownVisible: boolean) {
    const authority = admissionAuthority(type);
    if (authority.kind !== "rule") refuse(`admission of ${type} is not compiled`);
    const form = (authority as { form: RuleForm }).form;
    if (form.kind === "signed in") return;
    if (form.kind === "visible" && form.type === type && knownVisible) return;
    refuse(`admission of ${type} here is not compiled`);
  }

  /** The selection of an object of `type` (root: one of the root's rows; knownVisible: it entered through its type's visibility condition). */
  private object(type: GraphQLObjectType, nodes: readonly FieldNode[], where: { root?: boolean; knownVisible?: boolean }): Part[] {
    const known = where.root || where.knownVisible;
    const catalogue = types[type.name];
    if (!catalogue) refuse(`${type.name} is not compiled`);
    const parts: Part[] = [];
    for (const [key, fieldNodes] of collectSubfields(this.schema, this.fragments, {}, type, nodes)) {
      const node = fieldNodes[0]!;
      const name = node.name.value;
      if (name === "__typename") {
        parts.push({ key, value: { kind: "typename", name: type.name } });
        continue;
      }
      const field = catalogue![name];
      if (!field) refuse(`${type.name}.${name} is not compiled`);
      const authority = fieldAuthority(type.name, name);
      let guard: RuleForm | null = null;
      if (authority.kind === "general") refuse(authority.reason);
      if (authority.kind === "rule") {
        const form = authority.form;
        if (form.kind === "visible" && form.type === type.name && known) {
          // Passed with the object itself.
        } else if (form.kind === "role on account" && form.field === "id" && type.name === "ProgramAccount" && field!.kind === "list") {
          guard = form;
          this.grants = true;
        } else refuse(`${type.name}.${name}: its rule is not compiled here`);
      }
      const definition = type.getFields()[name]!;
      switch (field!.kind) {
        case "scalar":
          if (node.arguments?.length) refuse(`${type.name}.${name} with arguments`);
          // The viewer's grants are read for the root's businesses: a program account is only reached under one (Business.programAccounts).
          if (field!.needsGrants) this.grants = true;
          parts.push({ key, value: { kind: "scalar", field: field as Extract<CatalogueField, { kind: "scalar" }> } });
          break;
        case "object": {
          const target = this.objectType(definition);
          this.admitted(target.name, false);
          parts.push({ key, value: { kind: "object", field: field as Extract<CatalogueField, { kind: "object" }>, selection: this.object(target, fieldNodes, {}) } });
          break;
        }
        case "list": {
          // Nested lists are read through the viewer's grants on the root's businesses: only under them.
          if (!(where.root && type.name === "Business") && type.name !== "ProgramAccount") refuse(`${type.name}.${name} here`);
          this.grants = true;
          const connection = this.objectType(definition);
          parts.push({
            key,
            value: {
              kind: "connection",
              field: field as Extract<CatalogueField, { kind: "list" }>,
              definition,
              node,
              guard,
              selection: this.connection(connection, fieldNodes, field!.type, {}),
            },
          });
          break;
        }
      }
    }
    return parts;
  }

  /** A connection's selection (edges, pageInfo, __typename); its nodes entered through their list's condition. */
  private connection(type: GraphQLObjectType, nodes: readonly FieldNode[], nodeType: string, where: { root?: boolean }): ConnectionPart[] {
    const parts: ConnectionPart[] = [];
    for (const [key, fieldNodes] of collectSubfields(this.schema, this.fragments, {}, type, nodes)) {
      const name = fieldNodes[0]!.name.value;
      if (name === "__typename") parts.push({ key, value: { kind: "typename", name: type.name } });
      else if (name === "edges") {
        const edgeType = this.objectType(type.getFields().edges!);
        const selection: Extract<ConnectionValue, { kind: "edges" }>["selection"] = [];
        for (const [edgeKey, edgeNodes] of collectSubfields(this.schema, this.fragments, {}, edgeType, fieldNodes)) {
          const edgeField = edgeNodes[0]!.name.value;
          if (edgeField === "__typename") selection.push({ key: edgeKey, value: { kind: "typename", name: edgeType.name } });
          else if (edgeField === "cursor") selection.push({ key: edgeKey, value: { kind: "cursor" } });
          else if (edgeField === "node") {
            const target = this.objectType(edgeType.getFields().node!);
            if (target.name !== nodeType) refuse(`${edgeType.name}.node: unexpected type`);
            this.admitted(target.name, true);
            selection.push({ key: edgeKey, value: { kind: "node", selection: this.object(target, edgeNodes, { root: where.root, knownVisible: true }) } });
          } else refuse(`${edgeType.name}.${edgeField}`);
        }
        parts.push({ key, value: { kind: "edges", selection } });
      } else if (name === "pageInfo") {
        const infoType = this.objectType(type.getFields().pageInfo!);
        const selection: Extract<ConnectionValue, { kind: "pageInfo" }>["selection"] = [];
        for (const [infoKey, infoNodes] of collectSubfields(this.schema, this.fragments, {}, infoType, fieldNodes)) {
          const infoField = infoNodes[0]!.name.value;
          if (infoField === "__typename") selection.push({ key: infoKey, value: { kind: "typename", name: infoType.name } });
          else if (["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"].includes(infoField)) selection.push({ key: infoKey, value: { kind: infoField as PageInfoValue } });
          else refuse(`PageInfo.${infoField}`);
        }
        parts.push({ key, value: { kind: "pageInfo", selection } });
      } else refuse(`${type.name}.${name} is not compiled`);
    }
    return parts;
  }
}


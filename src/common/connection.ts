import "reflect-metadata"; // its decorators need the metadata API before anything else declares types
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";

/**
 * Relay connections as the schema shows them: the arguments of a paginated field, a page's edges and
 * page information, and the `<Name>Connection` / `<Name>Edge` types. How pages are read is the keyset
 * engine's (keyset.ts); what a cursor holds, the cursor codec's (cursor.ts).
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, forward (at most ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size, backward (at most ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return items before this cursor." })
  before?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "Relay page information." })
export class PageInfo {
  @Field(() => Boolean, { description: "More items follow this page." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Items come before this page." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first edge of the page (null when the page is empty): pass it as `before` for the previous page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge of the page (null when the page is empty): pass it as `after` for the next page." })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted on demand: a getter, read only when `totalCount` is selected. */
  readonly totalCount: Promise<number>;
}

/** Makes `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string = node.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} of a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor of this edge." })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: "The page's items in the list's order, each with its cursor." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Whether pages come before or after this one, and the cursors to reach them." })
    pageInfo!: PageInfo;

    // A promise (Page.totalCount): served by type-graphql's resolver, which awaits it (simple: false).
    @Field(() => Int, { description: "Number of items across all pages (counted only when asked for: on a long list it costs a count of the whole list).", simple: false })
    totalCount!: number;
  }
  return ConnectionType;
}


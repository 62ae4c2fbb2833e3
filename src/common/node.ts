import { Field, ID, InterfaceType } from "type-graphql";
import { CreateDateColumn, PrimaryGeneratedColumn } from "typeorm";

/**
 * Global object identification: every entity exposes an opaque `id` (base64url of "Type:uuid")
 * that `node(id:)` resolves. The database id stays a uuid and is never shown raw, so that clients
 * do not build URLs out of internal keys.
 *
 * Not graphql-relay's toGlobalId/fromGlobalId: theirs are standard base64 ('+', '/' and '=' need
 * escaping in a URL, and every id already handed out would change), and its decoder accepts any
 * text (garbage decodes to an empty type), where ours refuses whatever is not one of our
 * ids before a query sees it. The format is these two functions; Buffer does the encoding.
 */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns null for anything that is not one of our ids (callers answer NOT_FOUND or BAD_USER_INPUT). */
export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  let decoded: string;
  try {
    decoded = Buffer.from(globalId, "base64url").toString("utf8");
  } catch {
    return null;
  }
  const i = decoded.indexOf(":");
  if (i <= 0) return null;
  const type = decoded.slice(0, i);
  const id = decoded.slice(i + 1);
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !UUID_RE.test(id)) return null;
  return { type, id: id.toLowerCase() };
}

@InterfaceType({ description: "An object with an opaque, globally unique id; fetch it again with `node(id:)`." })
export abstract class Node {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field(() => Date, { description: "When this record was created." })
  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  /** The GraphQL type name; global ids carry it. */
  static get graphqlType(): string {
    return this.name;
  }

  // Object types serve their plain fields as properties (simpleResolvers); a field named unlike its
  // property needs type-graphql's resolver, which reads the property (simple: false).
  @Field(() => ID, { name: "id", description: "Opaque global id.", simple: false })
  get globalId(): string {
    return toGlobalId((this.constructor as typeof Node).graphqlType, this.id);
  }
}

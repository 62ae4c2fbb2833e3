import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index } from "typeorm";
import { Node } from "../../common/node.js";

/**
 * A business as the agency knows it (BN9, legal name, address). It is "registered" in the portal
 * once a first user has become its BAM. A customs broker or trade consultant is a business too.
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A business as the agency knows it (BN9, legal name, address): an importer, or a service provider such as a customs broker." })
@Entity({ name: "businesses" })
@Index("businesses_legal_name", ["legalName", "id"])
// Words of the name, searched anywhere in it (business.search.ts): a GIN index of its trigrams,
// written in its migration (TypeORM cannot declare the operator class).
@Index("businesses_legal_name_trgm", { synchronize: false })
@Check("businesses_bn9_format", `"bn9" ~ '^[0-9]{9}$'`)
@Check("businesses_asec_format", `"asec" IS NULL OR "asec" ~ '^[0-9]{5}$'`)
export class Business extends Node {
  @Field(() => String, { description: "Business number (9 digits, Luhn check digit last)." })
  @Index({ unique: true })
  @Column({ type: "char", length: 9 })
  bn9!: string;

  @Field(() => String, { description: "Legal name, as the agency has it." })
  @Column({ type: "varchar", length: 200 })
  legalName!: string;

  @Field(() => String, { description: "Street address." })
  @Column({ type: "varchar", length: 200 })
  addressLine!: string;

  @Field(() => String, { description: "City." })
  @Column({ type: "varchar", length: 100 })
  city!: string;

  @Field(() => String, { description: "Province or territory (2-letter code, e.g. ON)." })
  @Column({ type: "char", length: 2 })
  province!: string;

  @Field(() => String, { description: "Postal code." })
  @Column({ type: "varchar", length: 10 })
  postalCode!: string;

  @Field(() => String, { description: "Country (ISO 3166-1 alpha-2, e.g. CA)." })
  @Column({ type: "char", length: 2, default: "CA" })
  country!: string;

  @Field(() => Boolean, { description: "A third-party service provider (customs broker, trade consultant): it may request relationships with clients." })
  @Column({ type: "boolean", default: false })
  isServiceProvider!: boolean;

  @Field(() => String, { nullable: true, description: "Account security number, given once security is posted; prefixes its transaction numbers." })
  @Index("businesses_asec", { unique: true, where: `"asec" IS NOT NULL` })
  @Column({ type: "char", length: 5, nullable: true })
  asec!: string | null;

  @Field(() => Date, { nullable: true, description: "When the first BAM registered the business in the portal." })
  @Column({ type: "timestamptz", nullable: true })
  registeredAt!: Date | null;
}

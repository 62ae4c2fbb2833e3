import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";
import { PlatformRole } from "../../common/enums.js";
import { Node } from "../../common/node.js";

/** A personal profile. Sign-in happens at an external identity provider; `subject` is its `sub`. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A person's portal profile." })
@Entity({ name: "users" })
export class User extends Node {
  @Index({ unique: true })
  @Column({ type: "varchar", length: 255 })
  subject!: string;

  @Field(() => String, { description: "The person's user name." })
  @Index({ unique: true })
  @Column({ type: "varchar", length: 64 })
  username!: string;

  @Field(() => String, { description: "The person's name as shown." })
  @Column({ type: "varchar", length: 200 })
  displayName!: string;

  @Field(() => String, { nullable: true, description: "Visible to the user and to managers of a business the user belongs to." })
  @Column({ type: "varchar", length: 320 })
  email!: string;

  @Field(() => PlatformRole, { nullable: true, description: "A platform-wide role (agency staff), null for everyone else." })
  @Column({ type: "enum", enum: PlatformRole, enumName: "platform_role", nullable: true })
  platformRole!: PlatformRole | null;
}

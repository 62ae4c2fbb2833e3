import { Arg, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { writeAudit } from "../../application/audit.js";
import { appError, badInput, unauthenticated } from "../../common/errors.js";
import { text } from "../../common/inputs.js";
import { readableName } from "../../common/readable-name.js";
import { User } from "./user.entity.js";

@InputType({ description: "Your personal profile, created on your first sign-in." })
export class CreateProfileInput {
  @Field(() => String, { description: "3-64 characters: lower-case letters, digits, dot, dash or underscore." })
  username!: string;

  @Field(() => String, { description: "Your name as others in the portal will see it." })
  displayName!: string;

  @Field(() => String, { description: "Where notifications you choose to receive by email go." })
  email!: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

@Resolver()
export class ProfileMutations {
  // Its authority (auth/authority.ts): signed in, without a profile; not through the mutation runner,
  // which acts for a person who has one.
  @Mutation(() => User, {
    description:
      "First sign-in: create your portal profile. You are then an Orphan user: register a business or ask an employer for access.",
  })
  async createProfile(@Ctx() ctx: Context, @Arg("input", () => CreateProfileInput) input: CreateProfileInput): Promise<User> {
    if (!ctx.subject) throw unauthenticated();
    const username = input.username.trim();
    if (!/^[a-z0-9._-]{3,64}$/.test(username)) {
      throw badInput("username must be 3-64 characters: lower-case letters, digits, dot, dash or underscore.", "username");
    }
    const displayName = readableName(text(input.displayName, "displayName", { max: 200, required: true })!, "displayName");
    const email = text(input.email, "email", { max: 320, required: true })!;
    if (!EMAIL_RE.test(email)) throw badInput(`"${email}" is not an email address.`, "email");
    const subject = ctx.subject;
    const user = await ctx.db.transaction(async (em) => {
      const taken = await em.getRepository(User).findOne({ where: [{ username }, { subject }] });
      if (taken?.subject === subject) throw appError("CONFLICT", "You already have a portal profile.");
      if (taken) throw appError("CONFLICT", `The username "${username}" is taken; choose another.`, { field: "username" });
      const created = await em.getRepository(User).save(Object.assign(new User(), { subject, username, displayName, email, platformRole: null }));
      await writeAudit(em, created.id, [{ businessId: null, action: "profile.created", targetType: "User", targetId: created.id, before: null, after: { username, displayName } }]);
      return created;
    }).catch((err: unknown) => {
      // Two first sign-ins racing for the same name: the unique index decides.
      if ((err as { driverError?: { code?: string } }).driverError?.code === "23505") {
        throw appError("CONFLICT", `The username "${username}" is taken; choose another.`, { field: "username" });
      }
      throw err;
    });
    // The rest of this request sees the new profile (e.g. the payload's fields).
    ctx.viewer = user;
    return user;
  }
}

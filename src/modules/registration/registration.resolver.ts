import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { Business } from "../business/business.entity.js";
import { RegisterBusinessInput } from "./registration.inputs.js";
import { registerBusiness } from "./registration.service.js";

@Resolver()
export class RegistrationResolver {
  @Mutation(() => Business, {
    description:
      "Register a business: you become its first BAM and all its program accounts are linked. Wrong information is refused " +
      "without saying which part; repeated failures are throttled (RATE_LIMITED).",
  })
  registerBusiness(@Ctx() ctx: Context, @Arg("input", () => RegisterBusinessInput) input: RegisterBusinessInput) {
    return registerBusiness(ctx, input);
  }
}

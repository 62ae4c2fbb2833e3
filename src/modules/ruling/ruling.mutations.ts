import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { NotificationKind, RulingKind, RulingStatus } from "../../common/enums.js";
import { appError, badInput, forbidden } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { text } from "../../common/inputs.js";
import type { ActingBusiness } from "../../auth/acting.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, RulingAttachment, RulingRequest } from "./ruling.entity.js";
import { rulingParties } from "./ruling.service.js";

/** Document types the agency accepts with a ruling request. */
export const ATTACHMENT_MEDIA_TYPES = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/tiff",
  "text/plain",
  "text/csv",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
] as const;

@InputType({ description: "A document attached to a ruling request: metadata only (send the file itself through the document channel the agency names)." })
export class RulingAttachmentInput {
  @Field(() => String, { description: "The file's name, 1-255 characters, without a path." })
  fileName!: string;

  @Field(() => String, { description: `The document type, one of: ${ATTACHMENT_MEDIA_TYPES.join(", ")}.` })
  mediaType!: string;

  @Field(() => Int, { description: `Size in bytes (1 to ${MAX_ATTACHMENT_BYTES}).` })
  sizeBytes!: number;

  @Field(() => String, { description: "SHA-256 of the file: 64 hexadecimal digits." })
  sha256!: string;
}

@InputType({ description: "An advance ruling request on a program account." })
export class SubmitRulingRequestInput {
  @Field(() => String, { description: "The importer's program account the ruling is for (BN15)." })
  bn15!: string;

  @Field(() => RulingKind, { description: "What ruling is asked for." })
  kind!: RulingKind;

  @Field(() => String, { description: "The goods: what they are, what they are made of, what they are for (1-2000 characters)." })
  productDescription!: string;

  @Field(() => [RulingAttachmentInput], { nullable: true, description: `At most ${MAX_ATTACHMENTS}.` })
  attachments?: RulingAttachmentInput[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The business you submit as (BN9): the importer itself (you are its employee) or the service provider you act for it through. " +
      "Needed only when you could be either.",
  })
  submitAsBn9?: string | null;
}

@InputType({ description: "A ruling request its requester takes back before a decision." })
export class WithdrawRulingRequestInput {
  @Field(() => ID, { description: "The ruling request's id." })
  rulingRequestId!: string;
}

/** Validated attachment metadata, or BAD_USER_INPUT naming the attachment's field. */
export function checkAttachments(list: RulingAttachmentInput[] | null | undefined): Omit<RulingAttachment, "id" | "createdAt" | "rulingRequestId" | "rulingRequest">[] {
  const items = list ?? [];
  if (items.length > MAX_ATTACHMENTS) throw badInput(`At most ${MAX_ATTACHMENTS} attachments (got ${items.length}).`, "attachments");
  const seen = new Map<string, number>();
  return items.map((a, i) => {
    const at = (f: string) => `attachments[${i}].${f}`;
    const fileName = text(a.fileName, at("fileName"), { max: 255, required: true })!;
    if (/[/\\]/.test(fileName) || fileName === "." || fileName === "..") throw badInput("A file name has no path: no / or \\.", at("fileName"));
    const mediaType = a.mediaType.trim().toLowerCase();
    if (!(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw badInput(`"${a.mediaType.slice(0, 100)}" is not an accepted document type; use one of ${ATTACHMENT_MEDIA_TYPES.join(", ")}.`, at("mediaType"));
    }
    if (!Number.isInteger(a.sizeBytes) || a.sizeBytes < 1 || a.sizeBytes > MAX_ATTACHMENT_BYTES) {
      throw badInput(`The size must be between 1 and ${MAX_ATTACHMENT_BYTES} bytes (25 MiB).`, at("sizeBytes"));
    }
    const sha256 = a.sha256.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw badInput("A SHA-256 checksum is 64 hexadecimal digits.", at("sha256"));
    const twin = seen.get(sha256);
    if (twin !== undefined) throw badInput(`The same file is attached twice (as attachments[${twin}] too).`, at("sha256"));
    seen.set(sha256, i);
    return { position: i + 1, fileName, mediaType, sizeBytes: a.sizeBytes, sha256 };
  });
}


const STATUS_WORDS: Record<RulingStatus, string> = {
  SUBMITTED: "waiting for an officer",
  ASSIGNED: "assigned to an officer",
  DECISION_RENDERED: "decided",
  WITHDRAWN: "withdrawn",
};

@Resolver()
export class RulingMutations {
  @Mutation(() => RulingRequest, {
    description:
      "Ask the agency for a ruling on goods imported on a program account. Importers: Editor, PAM or BAM of the account; service " +
      "providers: with an active Editor relationship whose visibility rules show what the provider submits. The request records the " +
      "business you submit as (the importer, or your provider business), and who sees it follows that business like a transaction.",
  })
  async submitRulingRequest(@Ctx() ctx: Context, @Arg("input", () => SubmitRulingRequestInput) input: SubmitRulingRequestInput): Promise<RulingRequest> {
    const productDescription = text(input.productDescription, "productDescription", { max: 2000, required: true })!;
    const attachments = checkAttachments(input.attachments);
    if (input.submitAsBn9) {
      const e = bn9Error(input.submitAsBn9);
      if (e) throw badInput(e, "submitAsBn9");
    }
    return runMutation(ctx, "submitRulingRequest", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id, bn15: pa.bn15 }),
      // The business it is submitted as, among those the person may act as (chosen before the transaction,
      // still among them inside it, or FORBIDDEN).
      prepare: (pa, filers) => chooseFiler(filers, input.submitAsBn9 ?? null, pa.bn15),
      run: async (tx, pa, { prepared: chosen, granted: filers }) => {
        if (!filers.some((f) => f.id === chosen.id)) throw forbidden(`You can no longer submit ruling requests on ${input.bn15} as ${chosen.legalName}.`);
        const r = await tx.em.getRepository(RulingRequest).save(
          Object.assign(new RulingRequest(), {
            programAccountId: pa.id, submittedByBusinessId: chosen.id, submittedByUserId: tx.actor.id, kind: input.kind,
            status: RulingStatus.SUBMITTED, productDescription, assignedOfficerId: null, assignedAt: null, decision: null, decidedAt: null, withdrawnAt: null,
          }),
        );
        if (attachments.length) await tx.em.getRepository(RulingAttachment).insert(attachments.map((a) => ({ ...a, rulingRequestId: r.id })));
        const after = { bn15: pa.bn15, kind: r.kind, submittedBy: chosen.bn9, productDescription, attachments: attachments.map((a) => a.fileName) };
        await tx.auditEach(await rulingParties(tx.em, r), { action: "ruling.submitted", targetType: "RulingRequest", targetId: r.id, after });
        return r;
      },
    });
  }

  @Mutation(() => RulingRequest, {
    description:
      "Withdraw a ruling request that has no decision yet. For the people of the business that submitted it whose role submits " +
      "ruling requests on the account. A decision and a withdrawal at the same moment: one wins, the other gets CONFLICT.",
  })
  async withdrawRulingRequest(@Ctx() ctx: Context, @Arg("input", () => WithdrawRulingRequestInput) input: WithdrawRulingRequestInput): Promise<RulingRequest> {
    return runMutation(ctx, "withdrawRulingRequest", {
      find: () => visibleNode<RulingRequest>(ctx, "RulingRequest", input.rulingRequestId, "rulingRequestId", "That ruling request"),
      subject: (r) => ({ accountId: r.programAccountId, among: [r.submittedByBusinessId] }),
      prepare: (r) => {
        if (r.status === RulingStatus.DECISION_RENDERED || r.status === RulingStatus.WITHDRAWN) {
          throw appError("CONFLICT", `This ruling request is already ${STATUS_WORDS[r.status]}.`);
        }
      },
      run: async (tx, r) => {
        // A compare-and-set against the agency's decision: the row is locked, then changed only if
        // still undecided, so of a withdrawal and a decision at the same moment one wins.
        const [current] = await tx.em.query(`SELECT status FROM ruling_requests WHERE id = $1 FOR UPDATE`, [r.id]);
        const won = await tx.claim<{ assigned_officer_id: string | null }>(
          `UPDATE ruling_requests SET status = 'WITHDRAWN', withdrawn_at = now() WHERE id = $1 AND status IN ('SUBMITTED', 'ASSIGNED') RETURNING assigned_officer_id`,
          [r.id],
          `This ruling request was ${STATUS_WORDS[current.status as RulingStatus]} in the meantime.`,
        );
        await tx.auditEach(await rulingParties(tx.em, r), {
          action: "ruling.withdrawn", targetType: "RulingRequest", targetId: r.id, before: { status: current.status }, after: { status: RulingStatus.WITHDRAWN },
        });
        const officer = won[0]!.assigned_officer_id;
        if (officer) {
          await tx.notify([officer], {
            kind: NotificationKind.RULING_WITHDRAWN,
            title: "Ruling request withdrawn",
            body: `A ${r.kind.toLowerCase().replace(/_/g, " ")} ruling request assigned to you was withdrawn by the requester.`,
            businessId: null,
          });
        }
        return tx.em.getRepository(RulingRequest).findOneByOrFail({ id: r.id });
      },
    });
  }
}

/**
 * The business a ruling request is submitted as: among those the person may act as on the account
 * (the declared rule's grant: auth/acting.ts), the one named by `submitAsBn9`, or the only one.
 * FORBIDDEN when the named one is not among them; BAD_USER_INPUT when several are possible and none
 * was named.
 */
function chooseFiler(filers: ActingBusiness[], submitAsBn9: string | null, bn15: string): ActingBusiness {
  if (submitAsBn9) {
    const named = filers.find((b) => b.bn9 === submitAsBn9);
    if (!named) throw forbidden(`You cannot submit ruling requests on ${bn15} as business ${submitAsBn9}.`);
    return named;
  }
  if (filers.length === 1) return filers[0]!;
  if (filers.length > 1) {
    throw badInput(`You can submit as ${filers.map((b) => `${b.legalName} (${b.bn9})`).join(" or ")}: say which in submitAsBn9.`, "submitAsBn9");
  }
  throw forbidden(`Your role on ${bn15} does not allow submitting ruling requests (Editor, PAM or BAM; or a service provider's active Editor access).`);
}

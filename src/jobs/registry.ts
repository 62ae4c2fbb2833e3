import { badInput } from "../common/errors.js";
import { businessDate } from "../common/billing.js";
import { notifyExpiringRelationships } from "../modules/relationship/relationship-expiry.js";
import { issueDueStatements } from "../modules/statement/issuing.js";
import type { JobDefinition } from "./runner.js";

/** `data.now` (an ISO instant) runs a job as of that moment; otherwise as of now. */
function asOf(data: { now?: unknown }): Date {
  if (data.now === undefined) return new Date();
  const d = typeof data.now === "string" ? new Date(data.now) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badInput(`"now" must be an ISO date-time, got ${JSON.stringify(data.now)}`, "now");
  return d;
}

export const relationshipExpiryJob: JobDefinition<{ now?: string }> = {
  name: "relationship-expiry-notices",
  description: "Tells both sides' BAMs when an active relationship expires in 30 days, and again in 7 (once each).",
  // Daily at 11:00 UTC (06:00 or 07:00 in Ottawa), before the business day.
  cron: "0 11 * * *",
  run: ({ db, logger }, data) => notifyExpiringRelationships(db, logger, asOf(data)),
};

export const statementIssuingJob: JobDefinition<{ now?: string }> = {
  name: "statement-issuing",
  description:
    "Issues every statement whose issue date (the 25th) has come, oldest first, with interest on what was overdue during its cycle; " +
    "catches up any day it missed. Agency officers can run the same now (issueStatements).",
  // Daily at 05:30 UTC (00:30 or 01:30 in Ottawa): on the 25th, the first thing of the business day.
  cron: "30 5 * * *",
  run: ({ db, logger }, data) => {
    const now = asOf(data);
    return issueDueStatements(db, logger, { today: businessDate(now), now, actorUserId: null });
  },
};

/** Every named job. Add a job here and it is queued, worked and scheduled wherever JOBS is on. */
export const jobRegistry: JobDefinition<never>[] = [relationshipExpiryJob, statementIssuingJob];

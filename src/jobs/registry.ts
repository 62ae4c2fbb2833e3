import { badInput } from "../common/errors.js";
import { notifyExpiringRelationships } from "../modules/relationship/relationship-expiry.js";
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

/** Every named job. Add a job here and it is queued, worked and scheduled wherever JOBS is on. */
export const jobRegistry: JobDefinition<never>[] = [relationshipExpiryJob];

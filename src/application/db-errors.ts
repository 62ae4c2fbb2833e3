import { QueryFailedError } from "typeorm";
import { appError, badInput } from "../common/errors.js";

/** What a unique violation means, per constraint: a message, or an input error naming the field. */
const constraintMessages: Record<string, string | { message: string; field: string }> = {
  relationships_one_live_per_pair: "There is already a pending or active relationship between these two businesses.",
  client_groups_provider_name: "A client group with this name exists (or existed) for this provider; choose another name.",
  employee_access_requests_one_pending: "You already have a pending access request to this business.",
  business_memberships_user_business: "This person is already a member of the business.",
  client_group_assignments_group_user: "This person is already assigned to the group.",
  businesses_asec: { message: "This ASEC belongs to another business: check the number the agency gave you.", field: "asec" },
};

const dataExceptions: Record<string, string> = {
  "22001": "A value is longer than the field allows.",
  "22003": "A number is out of the range the field allows.",
  "22007": "A date or time is not valid.",
  "22008": "A date or time is out of range.",
  "22021": "A text value contains a character that cannot be stored.",
  "22P02": "A value does not have the expected format.",
  "22P05": "A text value contains a character that cannot be stored (such as NUL).",
};

/**
 * A database refusal as the client's error: unique-constraint races become CONFLICT (or an input
 * error naming the field), serialization failures and deadlocks CONFLICT ("try again"), data
 * exceptions BAD_USER_INPUT. Anything else is returned as it is (an internal error).
 */
export function translateDbError(err: unknown): unknown {
  if (err instanceof QueryFailedError) {
    const driverError = (err as QueryFailedError & { driverError: { code?: string; constraint?: string } }).driverError;
    if (driverError.code === "23505") {
      const known = constraintMessages[driverError.constraint ?? ""];
      if (typeof known === "object") return badInput(known.message, known.field);
      return appError("CONFLICT", known ?? "This conflicts with an existing record.");
    }
    if (driverError.code === "23514" && driverError.constraint === "transaction_sequences_range") {
      return appError("CONFLICT", "The filing business has used every transaction number its ASEC allows (99,999,999 of them).");
    }
    if (driverError.code === "40001" || driverError.code === "40P01") {
      return appError("CONFLICT", "Another change to the same records happened at the same moment; try again.");
    }
    // Data exceptions (class 22) come from values the client sent that a check upstream let through:
    // still the client's mistake, never an internal error.
    if (driverError.code && dataExceptions[driverError.code]) return appError("BAD_USER_INPUT", dataExceptions[driverError.code]!);
  }
  return err;
}

/**
 * Proving that a request reached a lock and waits there, instead of sleeping and hoping it did: a
 * statement of the server's database whose label (db/sql.ts, QueryOptions.label) is `label` shows in
 * pg_stat_activity waiting on a lock.
 */
import { ACTOR_LOCKED } from "../../src/application/mutation.js";
import { waitFor } from "./log.js";
import type { TestServer } from "./server.js";

/** Waits until a statement labelled `label` waits on a lock in the server's database (10 s at most). */
export async function waitUntilWaitingOnLock(server: TestServer, label: string): Promise<void> {
  const waiting = async () => {
    const [{ n }] = await server.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(query, $1)`,
      [`/* ${label} */ `],
    );
    return n > 0;
  };
  await waitFor(waiting, 10_000, `a statement "${label}" waiting on a lock`);
}

/** A mutation has passed its checks before the transaction and waits inside it to lock its actor's authority (application/mutation.ts). */
export const waitUntilMutationWaitsForActor = (server: TestServer) => waitUntilWaitingOnLock(server, ACTOR_LOCKED);

/**
 * The grants table is the grants relation, always: a stale row is a grant that should be gone. The
 * table (kept by triggers: migrations/1796701930690-GrantsTable.ts) must equal the relation computed
 * from the tables by src/auth/grants.ts (its definition), after any write, including two transactions
 * that change different inputs of the same grants at the same time. What the relation answers to
 * each person is proven against the reference model by test/authorization.property.test.ts (which
 * also changes its worlds after writing them); here: the database's copy of the definition, races,
 * the isolation the maintenance needs, and bulk writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueryRunner } from "typeorm";
import { grantsDrift } from "../src/auth/grants-check.js";
import { grantPathsSql } from "../src/auth/grants.js";
import { DEMO_BN } from "../src/seed/demo.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let ids: { frank: string; northern: string; maple: string; prairie: string; ontario: string };
beforeAll(async () => {
  server = await startTestServer();
  const one = async (text: string, values: unknown[]) => ((await server.db.query(text, values)) as { id: string }[])[0]!.id;
  ids = {
    frank: await one(`SELECT id FROM users WHERE username = 'frank'`, []),
    northern: await one(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.northern]),
    maple: await one(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.mapleLeaf]),
    prairie: await one(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.prairie]),
    ontario: await one(`SELECT id FROM client_groups WHERE name = 'Ontario manufacturers'`, []),
  };
});
afterAll(async () => {
  await server?.stop();
});

const rowsOf = async (user: string, account?: string) =>
  (await server.db.query(`SELECT * FROM grant_paths WHERE user_id = $1 AND ($2::uuid IS NULL OR program_account_id = $2)`, [user, account ?? null])) as unknown[];

describe("the grants table", () => {
  it("is filled by the migration and equals the relation computed from the tables (the seeded world)", async () => {
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM grant_paths`);
    expect(n).toBeGreaterThan(10);
    expect(await grantsDrift(server.db)).toEqual([]);
  });

  it("is kept by the database's copy of the definition: the view the triggers read is grants.ts's grantPathsSql, as PostgreSQL reads both", async () => {
    const qr = server.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query(`CREATE TEMP VIEW grant_paths_in_code AS ${grantPathsSql({}).text}`);
      const [{ installed, code }] = await qr.query(
        `SELECT pg_get_viewdef('grant_paths_from_inputs'::regclass) AS installed, pg_get_viewdef('grant_paths_in_code'::regclass) AS code`,
      );
      expect(installed).toBe(code);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });

  it("follows every kind of write, one after another (memberships, roles, accounts, relationships, groups, truncation)", async () => {
    const q = (text: string, values: unknown[] = []) => server.db.query(text, values);
    const expectTrue = async (what: string) => expect(await grantsDrift(server.db), what).toEqual([]);
    await q(`UPDATE relationships SET role = 'READER' WHERE client_business_id = $1 AND provider_business_id = $2`, [ids.maple, ids.northern]);
    await expectTrue("relationship role");
    await q(`UPDATE client_group_assignments SET role = 'READER' WHERE user_id = $1`, [ids.frank]);
    await expectTrue("assignment role");
    await q(`UPDATE client_groups SET deleted_at = now() WHERE id = $1`, [ids.ontario]);
    await expectTrue("group deleted");
    expect(await rowsOf(ids.frank)).toEqual([]);
    await q(`UPDATE client_groups SET deleted_at = NULL WHERE id = $1`, [ids.ontario]);
    await q(`INSERT INTO client_group_clients (group_id, client_business_id) VALUES ($1, $2)`, [ids.ontario, ids.prairie]);
    await expectTrue("group client added");
    await q(`UPDATE business_memberships SET is_bam = true WHERE user_id = $1 AND business_id = $2`, [ids.frank, ids.northern]);
    await expectTrue("membership made BAM");
    await q(`UPDATE business_memberships SET is_bam = false, status = 'REMOVED' WHERE user_id = $1 AND business_id = $2`, [ids.frank, ids.northern]);
    await expectTrue("membership removed");
    expect(await rowsOf(ids.frank)).toEqual([]);
    await q(`UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = $1 AND business_id = $2`, [ids.frank, ids.northern]);
    await q(`INSERT INTO program_accounts (business_id, rm, bn15, name) VALUES ($1, 'RM0071', $2, 'New')`, [ids.maple, `${DEMO_BN.mapleLeaf}RM0071`]);
    await expectTrue("account created");
    await q(`UPDATE relationships SET status = 'REVOKED', ended_at = now() WHERE client_business_id = $1 AND provider_business_id = $2 AND status = 'ACTIVE'`, [ids.maple, ids.northern]);
    await expectTrue("relationship revoked");
    await q(`INSERT INTO program_roles (user_id, program_account_id, role)
             SELECT m.user_id, pa.id, 'READER' FROM business_memberships m JOIN program_accounts pa ON pa.business_id = m.business_id
              WHERE m.business_id = $1 AND NOT m.is_bam AND pa.rm = 'RM0071'`, [ids.maple]);
    await expectTrue("program roles");
    await q(`DELETE FROM relationship_program_accounts WHERE program_account_id IN (SELECT id FROM program_accounts WHERE business_id = $1)`, [ids.prairie]);
    await expectTrue("listed accounts removed");
    const [{ id: client }] = await q(
      `INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code, is_service_provider)
       VALUES ('000000018', 'Short Lived Ltd.', '1 Road', 'Ottawa', 'ON', 'K1A 0B1', false) RETURNING id`,
    );
    await q(`INSERT INTO program_accounts (business_id, rm, bn15, name) VALUES ($1, 'RM0001', '000000018RM0001', 'A')`, [client]);
    await q(`INSERT INTO relationships (client_business_id, provider_business_id, status, level, role, request_comment) VALUES ($1, $2, 'ACTIVE', 'BUSINESS', 'EDITOR', 'c')`, [client, ids.northern]);
    await q(`INSERT INTO client_group_clients (group_id, client_business_id) VALUES ($1, $2)`, [ids.ontario, client]);
    await expectTrue("a new client");
    await q(`DELETE FROM businesses WHERE id = $1`, [client]);
    await expectTrue("business deleted (cascades)");
    await q(`TRUNCATE client_group_assignments`);
    await expectTrue("truncation");
  });

  it("refuses to be kept under REPEATABLE READ (a statement there reads an older snapshot after waiting)", async () => {
    const qr = server.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction("REPEATABLE READ");
      await expect(qr.query(`UPDATE business_memberships SET is_bam = NOT is_bam WHERE user_id = $1`, [ids.frank])).rejects.toThrow(/READ COMMITTED only/);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });
});

/**
 * Two transactions change different inputs of the same grants: the first makes its change and holds
 * its transaction open, the second makes its own, then the first commits, then the second. Returns
 * whether the second waited (for the first's locks).
 */
async function race(first: [string, unknown[]][], second: [string, unknown[]][]): Promise<boolean> {
  const a: QueryRunner = server.db.createQueryRunner();
  const b: QueryRunner = server.db.createQueryRunner();
  await a.connect();
  await b.connect();
  try {
    await a.startTransaction("READ COMMITTED");
    for (const [text, values] of first) await a.query(text, values);
    await b.startTransaction("READ COMMITTED");
    const [{ pid }] = await b.query(`SELECT pg_backend_pid() AS pid`);
    let finished = false;
    const pending = (async () => {
      for (const [text, values] of second) await b.query(text, values);
    })().finally(() => (finished = true));
    const waiting = async () => {
      const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [pid]);
      return n > 0;
    };
    await waitFor(async () => finished || (await waiting()), 10_000, "the second transaction waiting or done");
    const waited = !finished;
    await a.commitTransaction();
    await pending;
    await b.commitTransaction();
    return waited;
  } finally {
    if (a.isTransactionActive) await a.rollbackTransaction();
    if (b.isTransactionActive) await b.rollbackTransaction();
    await a.release();
    await b.release();
  }
}

/** Runs `body` with the triggers' locks turned off (to show that the race below is real), then puts them back. */
async function withoutLocks<T>(body: () => Promise<T>): Promise<T> {
  const [{ def }] = await server.db.query(`SELECT pg_get_functiondef('grants_lock(uuid[])'::regprocedure) AS def`);
  await server.db.query(`CREATE OR REPLACE FUNCTION grants_lock(p_businesses uuid[]) RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$`);
  try {
    return await body();
  } finally {
    await server.db.query(def);
    await server.db.query(`SELECT grants_refresh_all()`);
  }
}

describe("two transactions changing inputs of the same grants at once", () => {
  beforeAll(async () => {
    // Back to a world where frank (Northern) reaches Maple Leaf through his group, and Prairie is Northern's client.
    await server.stop();
    server = await startTestServer();
  });

  // frank's assignment ends while Maple Leaf opens a new account: the new account's grants are
  // computed by the second transaction, which without the locks still sees the assignment.
  const assignmentEndsWhileAccountOpens = (rm: string): [[string, unknown[]][], [string, unknown[]][]] => [
    [[`DELETE FROM client_group_assignments WHERE group_id = $1 AND user_id = $2`, [ids.ontario, ids.frank]]],
    [[`INSERT INTO program_accounts (business_id, rm, bn15, name) VALUES ($1, $2, $3, 'Raced')`, [ids.maple, rm, `${DEMO_BN.mapleLeaf}${rm}`]]],
  ];
  const restoreAssignment = () =>
    server.db.query(`INSERT INTO client_group_assignments (group_id, user_id, role) VALUES ($1, $2, 'EDITOR') ON CONFLICT DO NOTHING`, [ids.ontario, ids.frank]);

  it("the race is real: without the locks, an ended assignment leaves frank a grant on the account opened meanwhile", async () => {
    const waited = await withoutLocks(async () => {
      const w = await race(...assignmentEndsWhileAccountOpens("RM0081"));
      const drift = await grantsDrift(server.db);
      expect(drift.map((d) => [d.side, d.user_id, d.via])).toEqual([["stale", ids.frank, "RELATIONSHIP"]]);
      return w;
    });
    expect(waited).toBe(false);
    await restoreAssignment();
  });

  it("with them, the account's grants wait for the assignment's change and are computed after it: the table stays true", async () => {
    expect(await race(...assignmentEndsWhileAccountOpens("RM0082"))).toBe(true);
    expect(await grantsDrift(server.db)).toEqual([]);
    const [account] = (await server.db.query(`SELECT id FROM program_accounts WHERE bn15 = $1`, [`${DEMO_BN.mapleLeaf}RM0082`])) as { id: string }[];
    expect(await rowsOf(ids.frank, account!.id)).toEqual([]);
    await restoreAssignment();
  });

  // frank leaves Northern while his group takes on Prairie: the group's new client's grants are
  // computed by the second transaction, which without the locks still sees him a member.
  const leaves = () => [[`UPDATE business_memberships SET status = 'REMOVED' WHERE user_id = $1 AND business_id = $2`, [ids.frank, ids.northern]]] as [string, unknown[]][];
  const grows = () => [[`INSERT INTO client_group_clients (group_id, client_business_id) VALUES ($1, $2)`, [ids.ontario, ids.prairie]]] as [string, unknown[]][];
  const restoreMember = async () => {
    await server.db.query(`UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = $1 AND business_id = $2`, [ids.frank, ids.northern]);
    await server.db.query(`DELETE FROM client_group_clients WHERE group_id = $1 AND client_business_id = $2`, [ids.ontario, ids.prairie]);
  };

  it("the race is real: without the locks, a member who left keeps a grant on the client his group took on meanwhile", async () => {
    const waited = await withoutLocks(async () => {
      const w = await race(leaves(), grows());
      expect((await grantsDrift(server.db)).map((d) => [d.side, d.user_id])).toContainEqual(["stale", ids.frank]);
      return w;
    });
    expect(waited).toBe(false);
    await restoreMember();
  });

  it("with them, the table stays true, and the other order too", async () => {
    expect(await race(leaves(), grows())).toBe(true);
    expect(await grantsDrift(server.db)).toEqual([]);
    expect(await rowsOf(ids.frank)).toEqual([]);
    await restoreMember();
    expect(await race(grows(), leaves())).toBe(true);
    expect(await grantsDrift(server.db)).toEqual([]);
    expect(await rowsOf(ids.frank)).toEqual([]);
  });
});

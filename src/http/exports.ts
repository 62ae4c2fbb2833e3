import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import express, { type Request, type Response, type Router } from "express";
import { GraphQLError } from "graphql";
import pg from "pg";
import QueryStream from "pg-query-stream";
import type { DataSource } from "typeorm";
import type { AccessLoader } from "../auth/access-loader.js";
import { businessDate } from "../common/billing.js";
import type { Config } from "../config.js";
import { buildContext } from "../context.js";
import type { DatabaseAvailability } from "../db/availability.js";
import { columnsOf, hydrate } from "../db/rows.js";
import { bindArraysOnce } from "../db/sql.js";
import type { Logger } from "../logger.js";
import { csvStream, rowsWritten } from "../modules/export/csv.js";
import { verifyExport } from "../modules/export/export-link.js";
import { postingsExport, transactionsExport, type ExportQuery } from "../modules/export/export.queries.js";
import { TransactionFilter, TransactionOrder } from "../modules/transaction/transaction.service.js";
import { User } from "../modules/user/user.entity.js";
import { sendGraphQLError, UNAVAILABLE_MESSAGE } from "./errors.js";
import { WWW_AUTHENTICATE } from "./sign-in.js";

/** Rows fetched from PostgreSQL at a time: memory holds about this many rows per download, however long the file. */
const BATCH_ROWS = 1000;
/** A download that takes longer is cut (a reader too slow to finish would hold its slot and connection for ever). */
const MAX_DOWNLOAD_MS = 30 * 60_000;
/** A download whose reader stops reading for this long is ended by PostgreSQL (idle in transaction). */
const STALLED_READER = "60s";

export interface ExportsEndpoint {
  router: Router;
  close(): Promise<void>;
}

/**
 * GET /exports/<kind>/<token>: a CSV export, streamed from PostgreSQL (modules/export).
 *
 * The link says who asked and for what (export-link.ts); the person's access is read now, from the
 * database, and the rows are those their list would show (export.queries.ts). Rows are read through a
 * cursor, a batch at a time, as fast as the client takes them (backpressure through the pipeline),
 * in one read-only repeatable-read transaction (one consistent snapshot, however long the file): the
 * server's memory stays flat whatever the number of rows (bench/export.ts).
 *
 * Each download holds a connection of its own pool for as long as it lasts, so downloads are bounded:
 * at most `config.exports.maxConcurrent` at once in the process (more: 503, retry after a few
 * seconds) and one per person (another while theirs runs: 429), so that one person cannot take every
 * slot from the others; the API's own pool is never used for them.
 */
export function exportsEndpoint(deps: { config: Config; db: DataSource; logger: Logger; availability: DatabaseAvailability; accessLoader: AccessLoader }): ExportsEndpoint {
  const { config, db, logger, availability, accessLoader } = deps;
  const max = config.exports.maxConcurrent;
  let pool: pg.Pool | null = null;
  const running = new Set<string>();
  const router = express.Router();

  const refuse = (res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    res.setHeader("cache-control", "no-store");
    res.setHeader("referrer-policy", "no-referrer");
    sendGraphQLError(res, status, code, message, headers);
  };

  router.get("/exports/:kind/:token", async (req: Request<{ kind: string; token: string }>, res) => {
    if (!availability.available) return refuse(res, 503, "SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE, { "retry-after": String(availability.retryAfterSeconds) });
    const verified = await verifyExport(db, req.params.token);
    if (!verified.ok || verified.export.request.kind !== req.params.kind) {
      const why = verified.ok || verified.reason === "invalid" ? "is not valid (altered, or not made by this API)" : "has expired (links last a few minutes)";
      return refuse(res, 401, "UNAUTHENTICATED", `This download link ${why}: ask for a new one.`, { "www-authenticate": WWW_AUTHENTICATE });
    }
    const { userId, subject, request } = verified.export;
    // The person as they are now: their profile, and their access read afresh (sign-in's own query).
    const found = await accessLoader.loadBySubject(db, subject, columnsOf(db, User, "u"));
    if (!found || found.row.id !== userId) {
      return refuse(res, 401, "UNAUTHENTICATED", "The person this download link was made for has no portal profile any more: sign in and ask for a new one.");
    }
    if (running.has(userId)) {
      return refuse(res, 429, "RATE_LIMITED", "One of your exports is still downloading: wait for it to finish, then download this one.", { "retry-after": "10" });
    }
    if (running.size >= max) {
      return refuse(res, 503, "SERVICE_UNAVAILABLE", `The server is busy with ${running.size} exports; try again shortly.`, { "retry-after": "5" });
    }
    running.add(userId);
    const started = performance.now();
    const requestId = res.locals.requestId as string;
    const log = logger.child({ requestId });
    let rows = 0;
    let outcome = "complete";
    try {
      const user = hydrate(db, User, [found.row])[0]!;
      const ctx = await buildContext(db, logger, user, requestId, subject, undefined, found.access);
      let q: ExportQuery;
      try {
        q = request.kind === "transactions"
          ? await transactionsExport(
              ctx,
              Object.assign(new TransactionFilter(), request.filter),
              request.orderBy ? Object.assign(new TransactionOrder(), request.orderBy) : null,
              businessDate(new Date()),
            )
          : await postingsExport(ctx, request.statementId);
      } catch (err) {
        // What the list would answer: a filter it refuses (BAD_USER_INPUT), a statement out of reach (NOT_FOUND).
        const code = err instanceof GraphQLError ? err.extensions.code : undefined;
        if (code !== "BAD_USER_INPUT" && code !== "NOT_FOUND") throw err;
        outcome = "refused";
        return refuse(res, code === "NOT_FOUND" ? 404 : 400, code, (err as Error).message);
      }
      pool ??= new pg.Pool({ connectionString: (db.options as { url: string }).url, max, idleTimeoutMillis: 10_000, application_name: "carm-portal-api export" });
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${STALLED_READER}'`);
        const { text, values } = bindArraysOnce(q.statement);
        const source = client.query(new QueryStream(text, values, { batchSize: BATCH_ROWS, highWaterMark: BATCH_ROWS, rowMode: "array" }));
        const csv = csvStream(q.columns);
        res.status(200);
        res.setHeader("content-type", "text/csv; charset=utf-8");
        res.setHeader("content-disposition", `attachment; filename="${q.fileName}"`);
        res.setHeader("cache-control", "no-store");
        res.setHeader("x-content-type-options", "nosniff");
        res.setHeader("referrer-policy", "no-referrer");
        res.setHeader("content-security-policy", "default-src 'none'; sandbox");
        const cut = setTimeout(() => source.destroy(new Error(`download took longer than ${MAX_DOWNLOAD_MS / 60_000} minutes`)), MAX_DOWNLOAD_MS);
        try {
          if (q.completeRow) {
            const complete = q.completeRow;
            await pipeline(source, new Transform({ objectMode: true, transform: (row: unknown[], _enc, done) => done(null, complete(row)) }), csv, res);
          } else {
            await pipeline(source, csv, res);
          }
        } finally {
          clearTimeout(cut);
          rows = rowsWritten(csv);
        }
        await client.query("COMMIT");
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        // A connection that stopped mid-cursor is not given back to the pool as it is: it is closed.
        client.release(broken);
      }
    } catch (err) {
      outcome = res.writableEnded || req.socket.destroyed ? "cut" : "failed";
      if (!res.headersSent) {
        log.error("export failed", { err });
        refuse(res, 500, "INTERNAL_SERVER_ERROR", "The export could not be made; try again.");
      } else {
        // Rows went out already: the download ends unfinished (no last chunk), which a client sees as failed.
        log.warn("export ended before its last row", { err: (err as Error).message });
        res.destroy();
      }
    } finally {
      running.delete(userId);
      log.info("export", { kind: request.kind, user: userId, rows, ms: Math.round(performance.now() - started), outcome });
    }
  });

  return {
    router,
    async close() {
      await pool?.end();
    },
  };
}

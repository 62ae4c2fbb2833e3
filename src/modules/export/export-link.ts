import crypto from "node:crypto";
import type { DataSource } from "typeorm";

/**
 * Download links for CSV exports: a short-lived, signed description of one export for one person.
 *
 * A browser downloads a file by following a link, and a link carries no Authorization header; so the
 * link itself says who asked and for what (the person's profile and token subject, the export and its
 * filter), until when, and is signed (HMAC-SHA256) with a key only the API's processes hold. It grants
 * nothing of its own: the download reads the person's access afresh from the database and applies the
 * same rules as the lists (a relationship ended since is ended for the download too), and the link
 * expires a few minutes after it was made, never after the token it was made with.
 * The threat it leaves: whoever obtains a link within its minutes downloads what its person may see,
 * as with any bearer credential; it is sent only in the API's answer, and the download answers with
 * `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.
 */
export type ExportRequest =
  | { kind: "transactions"; filter: Record<string, unknown>; orderBy?: { field: string; direction?: string } }
  | { kind: "postings"; statementId: string };

export interface SignedExport {
  /** The person's profile id and token subject: the download is theirs, with their access at that time. */
  userId: string;
  subject: string;
  request: ExportRequest;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const PURPOSE = "export-links";
const secrets = new WeakMap<DataSource, Promise<Buffer>>();

/**
 * The key shared by every API process on the database (server_secrets): made once at random by the
 * first process that needs it, then read by all (a link made on one process downloads on another).
 */
export function linkKey(db: DataSource): Promise<Buffer> {
  let key = secrets.get(db);
  if (!key) {
    key = (async () => {
      await db.query(`INSERT INTO server_secrets (purpose, secret) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING`, [PURPOSE, crypto.randomBytes(32).toString("base64url")]);
      const [row] = (await db.query(`SELECT secret FROM server_secrets WHERE purpose = $1`, [PURPOSE])) as { secret: string }[];
      return Buffer.from(row!.secret, "base64url");
    })();
    // A failure (the database was away) is not remembered: the next link asks again.
    key.catch(() => secrets.delete(db));
    secrets.set(db, key);
  }
  return key;
}

const mac = (key: Buffer, payload: string) => crypto.createHmac("sha256", key).update(payload).digest("base64url");

/** The link's token: the export, base64url JSON, a dot, its signature. */
export async function signExport(db: DataSource, signed: SignedExport): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ v: 1, u: signed.userId, s: signed.subject, r: signed.request, e: signed.expiresAt }), "utf8").toString("base64url");
  return `${payload}.${mac(await linkKey(db), payload)}`;
}

export type Verified = { ok: true; export: SignedExport } | { ok: false; reason: "invalid" | "expired" };

/** The export a token describes, if the signature is this deployment's and the link has not expired. */
export async function verifyExport(db: DataSource, token: string, now = Date.now()): Promise<Verified> {
  const m = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "invalid" };
  const [, payload, signature] = m as unknown as [string, string, string];
  const expected = Buffer.from(mac(await linkKey(db), payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  let parsed: { v?: unknown; u?: unknown; s?: unknown; r?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (parsed.v !== 1 || typeof parsed.u !== "string" || typeof parsed.s !== "string" || typeof parsed.e !== "number" || !isRequest(parsed.r)) {
    return { ok: false, reason: "invalid" };
  }
  if (parsed.e * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, export: { userId: parsed.u, subject: parsed.s, request: parsed.r, expiresAt: parsed.e } };
}

function isRequest(r: unknown): r is ExportRequest {
  if (!r || typeof r !== "object") return false;
  const x = r as Record<string, unknown>;
  if (x.kind === "postings") return typeof x.statementId === "string";
  return x.kind === "transactions" && !!x.filter && typeof x.filter === "object" && !Array.isArray(x.filter) && (x.orderBy === undefined || isOrder(x.orderBy));
}

function isOrder(o: unknown): o is { field: string; direction?: string } {
  if (!o || typeof o !== "object" || Array.isArray(o)) return false;
  const x = o as Record<string, unknown>;
  return typeof x.field === "string" && (x.direction === undefined || x.direction === "ASC" || x.direction === "DESC");
}

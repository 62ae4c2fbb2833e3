import crypto from "node:crypto";
import type { RequestHandler } from "express";

/**
 * Every response carries `x-request-id`: the caller's own when it is a sane identifier (so a
 * proxy's id follows the request through our logs), a fresh uuid otherwise. A client cannot put
 * log-breaking text or megabytes into our log lines through this header.
 */
const SAFE_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : crypto.randomUUID();
}

export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdOf(req.headers["x-request-id"]);
  res.locals.requestId = id;
  res.setHeader("x-request-id", id);
  next();
};

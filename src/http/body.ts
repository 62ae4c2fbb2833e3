import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { sendGraphQLError } from "./errors.js";

/**
 * The JSON body of a GraphQL request. What body-parser refuses (malformed JSON, a charset or
 * encoding it does not read, a body over the limit) is answered as a GraphQL error with a code,
 * never express's HTML page with a stack trace.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    express.json({ limit: limitBytes }),
    // No JSON body (another content type, or GET): Apollo then answers its own 400 rather than a 500.
    (req, _res, next) => {
      if (!("body" in req)) (req as { body?: unknown }).body = undefined;
      next();
    },
  ];
}

/**
 * A request body must arrive within `ms` of the request's start, else 408 REQUEST_TIMEOUT and the
 * connection is closed: a client that trickles its body holds a socket and a little memory, never an
 * execution slot (those are taken only once the body is read: see limits/concurrency.ts), and not
 * for long.
 */
export function bodyDeadline(ms: number): RequestHandler {
  return (req, res, next) => {
    if (req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader("connection", "close");
      res.once("finish", () => req.socket.destroy());
      sendGraphQLError(res, 408, "REQUEST_TIMEOUT", `The request body did not arrive within ${Math.round(ms / 1000)} s.`);
    }, ms);
    const done = () => clearTimeout(timer);
    req.once("end", done);
    res.once("finish", done);
    res.once("close", done);
    next();
  };
}

export function bodyErrors(limitBytes: number): ErrorRequestHandler {
  return (err: { type?: string; status?: number; charset?: string; encoding?: string } | undefined, _req, res, next) => {
    if (!err || typeof err !== "object" || !("type" in err) || typeof err.type !== "string") return next(err);
    switch (err.type) {
      case "entity.too.large":
        return sendGraphQLError(res, 413, "BAD_REQUEST", `The request body is larger than the limit of ${limitBytes} bytes.`);
      case "entity.parse.failed":
        return sendGraphQLError(res, 400, "BAD_REQUEST", "The request body is not valid JSON.");
      case "charset.unsupported":
        return sendGraphQLError(res, 415, "BAD_REQUEST", `The charset "${String(err.charset ?? "").slice(0, 40)}" is not supported; send UTF-8.`);
      case "encoding.unsupported":
        return sendGraphQLError(res, 415, "BAD_REQUEST", `The content encoding "${String(err.encoding ?? "").slice(0, 40)}" is not supported.`);
      case "request.aborted":
      case "request.size.invalid":
        return sendGraphQLError(res, 400, "BAD_REQUEST", "The request body was incomplete.");
      default:
        return sendGraphQLError(res, err.status && err.status >= 400 && err.status < 500 ? err.status : 400, "BAD_REQUEST", "The request body could not be read.");
    }
  };
}

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

import type { RequestHandler } from "express";

/**
 * No GraphQL response over `maxBytes`: such a response is replaced by 400 RESPONSE_TOO_LARGE. The
 * operation limits bound what one operation may resolve (the heaviest allowed answer is about
 * 120 KiB); this bounds what leaves whatever the cause (long texts, an error per item), so that one
 * client cannot make the server write megabytes to it, nor a client receive them unasked.
 */
export function responseSizeCap(maxBytes: number): RequestHandler {
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if ((typeof body === "string" || Buffer.isBuffer(body)) && Buffer.byteLength(body) > maxBytes) {
        const size = Buffer.byteLength(body);
        res.locals.errorCode = "RESPONSE_TOO_LARGE";
        res.status(400).type("application/json");
        return send(JSON.stringify({ errors: [responseTooLarge(`The response would be ${size} bytes`, maxBytes, "ask for fewer items or fields (a mutation's change was made all the same)")] }));
      }
      return send(body as never);
    };
    next();
  };
}

/**
 * The one error that stands for an answer over the cap, over HTTP (above) and for a subscription's
 * event over the WebSocket (http/websocket.ts: the rendering of a group, checked once per group).
 */
export function responseTooLarge(what: string, maxBytes: number, advice: string): { message: string; extensions: { code: "RESPONSE_TOO_LARGE" } } {
  return { message: `${what}, over the limit of ${maxBytes}: ${advice}.`, extensions: { code: "RESPONSE_TOO_LARGE" } };
}

/** The size in bytes of `text` when it is over `maxBytes`, else null (counted only when it could be). */
export function overCap(text: string, maxBytes: number): number | null {
  if (text.length * 3 <= maxBytes) return null; // UTF-16 code units to UTF-8 bytes: at most 3 each
  const size = Buffer.byteLength(text);
  return size > maxBytes ? size : null;
}

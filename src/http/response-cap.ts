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
        return send(
          JSON.stringify({
            errors: [
              {
                message: `The response would be ${size} bytes, over the limit of ${maxBytes}: ask for fewer items or fields (a mutation's change was made all the same).`,
                extensions: { code: "RESPONSE_TOO_LARGE" },
              },
            ],
          }),
        );
      }
      return send(body as never);
    };
    next();
  };
}

import express, { type Router } from "express";
import type { DatabaseAvailability } from "../db/availability.js";

/**
 * `/healthz`: the process is up (a liveness probe: restart me if this fails).
 * `/readyz`: the database answers (a readiness probe: send me no traffic while this is 503).
 */
export function healthRouter(availability: DatabaseAvailability): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    // Known down: say so without waiting; otherwise check now (an outage starts being noticed here too).
    const up = availability.available && (await availability.check());
    if (up) res.json({ status: "ready" });
    else res.status(503).setHeader("retry-after", String(availability.retryAfterSeconds)).json({ status: "database unavailable" });
  });
  return router;
}

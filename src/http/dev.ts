import fs from "node:fs";
import path from "node:path";
import express, { type Request, type Router } from "express";
import { loadDevIssuer } from "../auth/identity.js";
import { personas, personaSubject } from "../auth/personas.js";
import { projectRoot, type Config } from "../config.js";
import { sendGraphQLError } from "./errors.js";

/**
 * A loopback client, talking to us directly. A request relayed by a proxy (Forwarded /
 * X-Forwarded-For) is not one, even when the proxy itself runs on this machine.
 */
export function fromLoopback(req: Request): boolean {
  if (req.headers.forwarded || req.headers["x-forwarded-for"]) return false;
  const addr = req.socket.remoteAddress ?? "";
  return addr === "::1" || addr.startsWith("127.") || addr.startsWith("::ffff:127.");
}

/**
 * Development only: tokens for the demo personas, so that GraphiQL can switch persona. They are
 * anyone's identity for the asking, so only a client on this machine gets them unless
 * DEV_ISSUER_REMOTE=on (a shared demo server).
 */
export async function devPersonasRouter(config: Config): Promise<Router> {
  const router = express.Router();
  if (!config.auth.devIssuer) return router;
  const dev = await loadDevIssuer(config.dataDir, config.auth);
  router.get("/dev/personas", async (req, res) => {
    if (!config.auth.devIssuerRemote && !fromLoopback(req)) {
      return sendGraphQLError(res, 403, "FORBIDDEN", "Development tokens are handed out to clients on this machine only (DEV_ISSUER_REMOTE=on to change that).");
    }
    const list = await Promise.all(
      personas.map(async (p) => ({ username: p.username, displayName: p.displayName, description: p.description, token: await dev.sign(personaSubject(p.username)) })),
    );
    res.json({ personas: list });
  });
  return router;
}

/**
 * How the browser pages sign people in (GET /auth/config): at the OpenID Connect provider when
 * AUTH_CLIENT_ID is set (authorization code + PKCE, in the page); otherwise `oidc` is null and the
 * pages use the demo personas (/dev/personas) or a pasted token. Public facts only: the issuer, the
 * pages' public client id, the scopes and the resource.
 */
export function signInConfigRouter(config: Config): Router {
  const router = express.Router();
  const browser = config.auth.browser;
  router.get("/auth/config", (_req, res) => {
    res.setHeader("cache-control", "no-cache");
    res.json({ oidc: browser ? { issuer: browser.issuer, clientId: browser.clientId, scope: browser.scope, resource: browser.resource ?? null } : null });
  });
  return router;
}

/**
 * Where a page holding a token may connect: its own origin (the API, over HTTP and WebSocket) and,
 * with browser sign-in, the issuer's origin (discovery, token endpoint: code exchange and refresh).
 * Nothing else: a script that got in could not send a token anywhere else.
 */
export function connectSources(config: Config): string {
  const issuer = config.auth.browser ? new URL(config.auth.browser.issuer).origin : null;
  return issuer ? `'self' ${issuer}` : "'self'";
}

/**
 * The broker dashboard (dashboard/, built into dist/dashboard). It holds a bearer token, so its
 * page may run only its own scripts and talk only to this origin and the issuer's (a content
 * security policy), and may not be framed.
 */
export function dashboardRouter(config: Config): Router {
  const router = express.Router();
  if (!config.dashboard) return router;
  const dir = path.join(projectRoot, "dist", "dashboard");
  const csp = `default-src 'self'; connect-src ${connectSources(config)}; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
  if (fs.existsSync(path.join(dir, "index.html"))) {
    router.use(
      "/dashboard",
      (_req, res, next) => {
        res.setHeader("content-security-policy", csp);
        res.setHeader("x-content-type-options", "nosniff");
        res.setHeader("referrer-policy", "no-referrer");
        next();
      },
      express.static(dir, { index: "index.html", redirect: true }),
    );
  } else {
    router.get(/^\/dashboard(\/.*)?$/, (_req, res) => {
      res.status(503).type("text").send("The dashboard is not built: run `npm run build`.");
    });
  }
  return router;
}

/**
 * The bundled GraphiQL page (off in production unless GRAPHIQL=on). It holds a token too: the same
 * connect sources as the dashboard; its editor (Monaco) runs web workers and sets styles inline.
 */
export function graphiqlRouter(config: Config): Router {
  const router = express.Router();
  if (!config.graphiql) return router;
  const graphiqlDir = path.join(projectRoot, "dist", "graphiql");
  const csp =
    `default-src 'self'; connect-src ${connectSources(config)}; img-src 'self' data: blob:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; ` +
    "script-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  if (fs.existsSync(path.join(graphiqlDir, "index.html"))) {
    router.use(
      "/graphiql",
      (_req, res, next) => {
        res.setHeader("content-security-policy", csp);
        res.setHeader("x-content-type-options", "nosniff");
        res.setHeader("referrer-policy", "no-referrer");
        next();
      },
      express.static(graphiqlDir, { index: "index.html", redirect: true }),
    );
  } else {
    router.get("/graphiql", (_req, res) => {
      res.status(503).type("text").send("GraphiQL is not built: run `npm run build`.");
    });
  }
  router.get("/", (_req, res) => res.redirect("/graphiql/"));
  return router;
}

/**
 * Prints a development bearer token for a demo persona: `npm run token -- alice [--url URL]`
 *
 * A token is only good for the server whose development issuer signed it, and that issuer's key lives
 * in the server's data directory (DATA_DIR, or the temp directory it moved to). So the token is asked
 * of the running server itself (`/dev/personas`, at http://localhost:$PORT unless --url says where):
 * whatever data directory it runs with, it accepts what it signed. Only when no server answers there is
 * the token signed here, with the key of this shell's DATA_DIR, and the output says so: a server
 * started with another DATA_DIR will refuse it (and its 401 says the token was signed by another key).
 */
import { pathToFileURL } from "node:url";
import { loadDevIssuer } from "../auth/identity.js";
import { personas, personaSubject } from "../auth/personas.js";
import { loadConfig } from "../config.js";

export interface TokenResult {
  token: string;
  /** Where it came from, for a note on stderr (null: nothing to say). */
  note: string | null;
}

/** Thrown with a message for a person; the CLI prints it and exits with 2. */
export class TokenError extends Error {}

export async function devToken(persona: string, opts: { url: string; env?: NodeJS.ProcessEnv }): Promise<TokenResult> {
  if (!personas.some((p) => p.username === persona)) {
    throw new TokenError(`Usage: npm run token -- <persona> [--url http://localhost:4000]\nPersonas: ${personas.map((p) => `${p.username} (${p.description})`).join(", ")}`);
  }
  const base = opts.url.replace(/\/+$/, "").replace(/\/graphql$/, "");
  let res: Response | null = null;
  try {
    res = await fetch(`${base}/dev/personas`, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(3000) });
  } catch {
    res = null; // nothing answers there: sign locally below
  }
  if (res) {
    const body = (await res.json().catch(() => null)) as { personas?: { username: string; token: string }[]; errors?: { message: string }[] } | null;
    if (res.ok && body?.personas) {
      const found = body.personas.find((p) => p.username === persona);
      if (!found) throw new TokenError(`The server at ${base} does not know the persona "${persona}".`);
      return { token: found.token, note: null };
    }
    if (res.status === 403) throw new TokenError(`The server at ${base} refused: ${body?.errors?.[0]?.message ?? "development tokens are for clients on its machine"}`);
    if (res.status === 404 && body?.errors) {
      throw new TokenError(
        `The server at ${base} has no development issuer (a real identity provider is configured, or DEV_ISSUER=off): get a token from its identity provider.`,
      );
    }
    throw new TokenError(`${base}/dev/personas answered ${res.status}: is ${base} this API's address (no path, e.g. http://localhost:4000)?`);
  }
  const config = loadConfig(opts.env ?? process.env);
  if (!config.auth.devIssuer) {
    throw new TokenError("A real token issuer is configured (AUTH_JWKS_URL / AUTH_PUBLIC_KEY): get tokens from it.");
  }
  const issuer = await loadDevIssuer(config.dataDir, config.auth);
  return {
    token: await issuer.sign(personaSubject(persona)),
    note: `No server answers at ${base}: signed with the development key in ${config.dataDir}. A server started with another DATA_DIR refuses it; start the server first, or pass its address with --url.`,
  };
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): { persona: string; url: string } {
  let persona = "";
  let url = `http://localhost:${env.PORT || 4000}`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--url") url = argv[++i] ?? "";
    else if (!persona) persona = a;
    else throw new TokenError(`Usage: npm run token -- <persona> [--url http://localhost:4000]; did not understand "${a}"`);
  }
  if (!/^https?:\/\/[^/]/.test(url)) throw new TokenError(`--url must be the server's address, such as http://localhost:4000; got "${url}"`);
  return { persona, url };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { persona, url } = parseArgs(process.argv.slice(2), process.env);
    const { token, note } = await devToken(persona, { url });
    if (note) process.stderr.write(`${note}\n`);
    process.stdout.write(token + "\n");
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof TokenError ? 2 : 1);
  }
}

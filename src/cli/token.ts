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
import { baseUrl, fetchFrom, NothingAnswers, whyNoPersonas } from "./server-address.js";

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
  const base = baseUrl(opts.url);
  let res: Response | null = null;
  try {
    res = await fetchFrom(base, "/dev/personas");
  } catch (err) {
    if (!(err instanceof NothingAnswers)) throw err;
    res = null; // nothing answers there: sign here, and say with which key
  }
  if (res) {
    if (!res.ok) throw new TokenError(await whyNoPersonas(base, res, "npm run token"));
    const body = (await res.json().catch(() => null)) as { personas?: { username: string; token: string }[] } | null;
    const found = body?.personas?.find((p) => p.username === persona);
    if (!found) throw new TokenError(`The server at ${base} does not hand out a token for "${persona}".`);
    return { token: found.token, note: null };
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
    process.exit(2);
  }
}

/**
 * Prints a development bearer token for a demo persona: npm run token -- alice
 * Only for the local development issuer; with a real issuer configured there is nothing to sign with.
 */
import { loadDevIssuer } from "../auth/identity.js";
import { personas, personaSubject } from "../auth/personas.js";
import { loadConfig } from "../config.js";

const name = process.argv[2];
const config = loadConfig();
if (!config.auth.devIssuer) {
  console.error("A real token issuer is configured (AUTH_JWKS_URL / AUTH_PUBLIC_KEY): get tokens from it.");
  process.exit(2);
}
const persona = personas.find((p) => p.username === name);
if (!persona) {
  console.error(`Usage: npm run token -- <persona>\nPersonas: ${personas.map((p) => `${p.username} (${p.description})`).join(", ")}`);
  process.exit(2);
}
const issuer = await loadDevIssuer(config.dataDir, config.auth);
process.stdout.write((await issuer.sign(personaSubject(persona.username))) + "\n");

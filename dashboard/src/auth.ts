/**
 * Who the dashboard signs in as. With browser sign-in configured on the API (/auth/config), at the
 * identity provider (OpenID Connect, ../../web/oidc.ts); while the API's development issuer is on,
 * /dev/personas lists the demo personas with tokens (a picker); otherwise the person pastes a bearer
 * token from their identity provider. The token only ever travels as the Authorization header (HTTP)
 * and in the WebSocket's connection_init payload: never a cookie.
 */
import type { OidcSession } from '../../web/oidc';
import { loadOidcSettings } from '../../web/sign-in-config';

export interface Persona {
  username: string;
  displayName: string;
  description: string;
  token: string;
}

export type SignInMode =
  | { kind: 'loading' }
  | { kind: 'oidc'; session: OidcSession }
  | { kind: 'personas'; personas: Persona[] }
  | { kind: 'token'; note?: string };

export async function loadSignInMode(): Promise<SignInMode> {
  const oidc = await loadOidcSettings();
  if (oidc) {
    // The OpenID Connect client is loaded only where it is used.
    const { oidcSession } = await import('../../web/oidc');
    return { kind: 'oidc', session: oidcSession(oidc, '/dashboard/') };
  }
  try {
    const res = await fetch('/dev/personas', { headers: { accept: 'application/json' } });
    if (res.status === 404) return { kind: 'token' };
    if (!res.ok) return { kind: 'token', note: `/dev/personas answered ${res.status}` };
    const body = (await res.json()) as { personas?: Persona[] };
    return { kind: 'personas', personas: Array.isArray(body.personas) ? body.personas : [] };
  } catch (err) {
    return { kind: 'token', note: `could not load /dev/personas: ${String(err)}` };
  }
}

const PERSONA_KEY = 'carm-portal:dashboard:persona';
const TOKEN_KEY = 'carm-portal:dashboard:token';

function read(storage: () => Storage, key: string): string {
  try {
    return storage().getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(storage: () => Storage, key: string, value: string): void {
  try {
    if (value) storage().setItem(key, value);
    else storage().removeItem(key);
  } catch {
    // Storage unavailable (private mode): the choice lasts for this page only.
  }
}

/** `?persona=erin` in the URL picks a persona (links in the README, tests); otherwise the last one chosen. */
export const rememberedPersona = () => new URLSearchParams(location.search).get('persona') ?? read(() => localStorage, PERSONA_KEY);
export const rememberPersona = (username: string) => write(() => localStorage, PERSONA_KEY, username);
/** A pasted token lives for this tab only (sessionStorage), never on disk. */
export const rememberedToken = () => read(() => sessionStorage, TOKEN_KEY);
export const rememberToken = (token: string) => write(() => sessionStorage, TOKEN_KEY, token);

/**
 * Whether the API signs people in at an OpenID Connect provider from its pages, and where (GET
 * /auth/config). Kept apart from oidc.ts so that a page without browser sign-in (the demo personas,
 * a pasted token) never loads the OpenID Connect client: the pages import that one when needed.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
  resource: string | null;
}

/** The API's sign-in settings: null when it has no browser sign-in (the demo personas or a pasted token then). */
export async function loadOidcSettings(): Promise<OidcSettings | null> {
  try {
    const res = await fetch('/auth/config', { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const body = (await res.json()) as { oidc?: OidcSettings | null };
    return body.oidc ?? null;
  } catch {
    return null;
  }
}


/**
 * Signing in at the identity provider from the API's own pages (the dashboard and GraphiQL), as a
 * front end of the portal would: OpenID Connect, authorization code with PKCE (oidc-client-ts),
 * no client secret (a page cannot keep one). The API says where and as which client
 * (GET /auth/config: AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_SCOPE, AUTH_RESOURCE); the page's redirect URI is
 * its own address (`<origin>/dashboard/`, `<origin>/graphiql/`), registered with the provider.
 *
 * - The access token is what the API takes (Authorization header, graphql-ws connection_init); it is
 *   kept in sessionStorage (this tab only, gone with it), never in a cookie.
 * - Refresh: a minute before it expires the token is renewed with the refresh token (`offline_access`),
 *   at the token endpoint, without leaving the page; `onToken` hears of the new one. Without a refresh
 *   token the session ends when the token does, and the page asks to sign in again.
 * - Sign-out: the tokens are forgotten here and the provider's session is ended (its end-session
 *   endpoint), then the provider sends the browser back to the page.
 * - The page's content security policy lets it connect to its own origin and the issuer's only.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { OidcSettings } from './sign-in-config';

export interface SignedInUser {
  accessToken: string;
  /** The token's subject at the provider: who is signed in (stays the same across refreshes). */
  subject: string;
  name: string | null;
}

export interface OidcSession {
  /** The signed-in person, after finishing a sign-in the provider sent the browser back with; null when nobody is. */
  start(): Promise<SignedInUser | null>;
  /** Goes to the provider's sign-in page; back here afterwards, at the same address (search and page included). */
  signIn(): Promise<void>;
  /** Forgets the tokens here and ends the provider's session; back here afterwards. */
  signOut(): Promise<void>;
  /** Called with each new token (a refresh), or null once the session has ended (expired, signed out elsewhere). */
  onToken(listener: (user: SignedInUser | null) => void): () => void;
}

const asSignedIn = (u: User): SignedInUser => ({
  accessToken: u.access_token,
  subject: u.profile.sub,
  name: (u.profile.name as string | undefined) ?? (u.profile.preferred_username as string | undefined) ?? null,
});

/** `page` is the path the provider sends the browser back to: `/dashboard/` or `/graphiql/`. */
export function oidcSession(settings: OidcSettings, page: string): OidcSession {
  const here = `${location.origin}${page}`;
  const manager = new UserManager({
    authority: settings.issuer,
    client_id: settings.clientId,
    redirect_uri: here,
    post_logout_redirect_uri: here,
    response_type: 'code',
    scope: settings.scope,
    ...(settings.resource ? { resource: settings.resource } : {}),
    // The tab's storage: tokens go with the tab, never to disk; one key space per page.
    userStore: new WebStorageStateStore({ store: sessionStorage, prefix: `carm-portal${page}` }),
    stateStore: new WebStorageStateStore({ store: sessionStorage, prefix: `carm-portal${page}state.` }),
    automaticSilentRenew: true,
    // Claims come from the ID token; the userinfo endpoint is one more origin and request for nothing the page needs.
    loadUserInfo: false,
  });
  const listeners = new Set<(user: SignedInUser | null) => void>();
  const emit = (user: SignedInUser | null) => listeners.forEach((l) => l(user));
  manager.events.addUserLoaded((u) => emit(asSignedIn(u)));
  manager.events.addUserUnloaded(() => emit(null));
  manager.events.addAccessTokenExpired(() => {
    void manager.removeUser();
  });
  // A refresh refused (the provider ended the session, or gives no refresh token): the session is over.
  manager.events.addSilentRenewError(() => {
    void manager.getUser().then((u) => {
      if (!u || u.expired) void manager.removeUser();
    });
  });

  return {
    async start() {
      const params = new URLSearchParams(location.search);
      if (params.has('state') && (params.has('code') || params.has('error'))) {
        // Back from the provider's sign-in: finish it, and put back the address the person was at.
        try {
          const user = await manager.signinRedirectCallback();
          const back = typeof user.state === 'string' && user.state.startsWith(page) ? user.state : page;
          history.replaceState(null, '', back);
          return asSignedIn(user);
        } catch (err) {
          history.replaceState(null, '', page);
          throw err;
        }
      }
      if (params.has('state')) {
        // Back from the provider's sign-out.
        await manager.signoutRedirectCallback().catch(() => undefined);
        history.replaceState(null, '', page);
        return null;
      }
      const user = await manager.getUser();
      if (!user) return null;
      if (!user.expired) return asSignedIn(user);
      // Expired while the page was closed: a refresh token may still renew it.
      try {
        const renewed = await manager.signinSilent();
        return renewed ? asSignedIn(renewed) : null;
      } catch {
        await manager.removeUser();
        return null;
      }
    },
    signIn: () => manager.signinRedirect({ state: `${location.pathname}${location.search}` }),
    async signOut() {
      const user = await manager.getUser();
      try {
        await manager.signoutRedirect({ id_token_hint: user?.id_token });
      } catch {
        // A provider without an end-session endpoint: signed out here, its own session left as it is.
        await manager.removeUser();
      }
    },
    onToken(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

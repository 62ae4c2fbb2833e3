// Offline GraphiQL page for the CARM Portal API, served at /graphiql/.
//
// Everything is bundled by vite (graphiql/vite.config.ts): no CDN, no web
// fonts from the internet. Monaco's web workers are bundled through the
// `?worker` imports in graphiql/setup-workers/vite, which also installs
// `globalThis.MonacoEnvironment.getWorker`.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './toolbar.css';

import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient, type Client } from 'graphql-ws';
import { StrictMode, useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { createRoot } from 'react-dom/client';
import type { OidcSession, SignedInUser } from '../web/oidc';
import { loadOidcSettings } from '../web/sign-in-config';

interface Persona {
  username: string;
  displayName: string;
  description: string;
  token: string;
}

/**
 * `oidc`: sign in at the identity provider (the API has AUTH_CLIENT_ID, see ../web/oidc.ts);
 * `personas`: the development token issuer is on; `token`: paste a real bearer token.
 */
type AuthMode =
  | { kind: 'loading' }
  | { kind: 'oidc'; session: OidcSession }
  | { kind: 'personas'; personas: Persona[] }
  | { kind: 'token'; note?: string };

const PERSONA_KEY = 'carm-portal:graphiql:persona';
const TOKEN_KEY = 'carm-portal:graphiql:token';
const ANONYMOUS = '';

const DEFAULT_QUERY = `# Choose who you are in the toolbar above, then press Ctrl-Enter.

query Viewer {
  viewer {
    user { username displayName }
  }
}
`;

/**
 * `?query=` in the page URL opens that operation in the editor. Read when the editor first shows:
 * after a sign-in at the provider, the address is back to what it was (query included).
 */
const initialQueryFromUrl = () => new URLSearchParams(window.location.search).get('query') ?? undefined;

const wsScheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
const HTTP_URL = '/graphql';
const WS_URL = `${wsScheme}//${window.location.host}/graphql`;

function readStorage(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(storage: Storage, key: string, value: string): void {
  try {
    if (value) storage.setItem(key, value);
    else storage.removeItem(key);
  } catch {
    // Storage may be unavailable (private mode, disabled cookies): not fatal.
  }
}

async function loadAuthMode(): Promise<AuthMode> {
  const oidc = await loadOidcSettings();
  if (oidc) {
    // The OpenID Connect client is loaded only where it is used.
    const { oidcSession } = await import('../web/oidc');
    return { kind: 'oidc', session: oidcSession(oidc, '/graphiql/') };
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

let currentWs: { token: string; client: Client } | undefined;

/**
 * The graphql-ws client for a token. It is lazy (the socket opens on the
 * first subscription) and the connection_init payload carries
 * `authorization`. Switching tokens disposes the previous client so an old
 * identity's socket does not linger. Kept outside React state so StrictMode's
 * double effects cannot dispose a client that is still in use.
 */
function wsClientFor(token: string): Client {
  if (currentWs?.token === token) return currentWs.client;
  void currentWs?.client.dispose();
  const client = createClient({
    url: WS_URL,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  currentWs = { token, client };
  return client;
}

/** One fetcher per bearer token; GraphiQL re-introspects when it changes. */
function useFetcher(token: string): Fetcher {
  return useMemo(
    () =>
      createGraphiQLFetcher({
        url: HTTP_URL,
        subscriptionUrl: WS_URL,
        wsClient: wsClientFor(token),
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        enableIncrementalDelivery: false,
      }),
    [token],
  );
}

function Toolbar(props: {
  mode: AuthMode;
  persona: string;
  onPersona(username: string): void;
  token: string;
  onToken(token: string): void;
  user: SignedInUser | null;
}) {
  const { mode, user } = props;
  return (
    <header className="carm-toolbar">
      <h1 className="carm-toolbar__title">CARM Portal API</h1>
      {mode.kind === 'loading' && <span className="carm-toolbar__hint">Loading…</span>}
      {mode.kind === 'oidc' &&
        (user ? (
          <span className="carm-toolbar__field">
            <span data-signed-in={user.subject}>Signed in as {user.name ?? user.subject}</span>
            <button id="sign-out" type="button" onClick={() => void mode.session.signOut()}>
              Sign out
            </button>
          </span>
        ) : (
          <span className="carm-toolbar__field">
            <span>Anonymous</span>
            <button id="sign-in" type="button" onClick={() => void mode.session.signIn()}>
              Sign in
            </button>
          </span>
        ))}
      {mode.kind === 'personas' && (
        <label className="carm-toolbar__field">
          <span>Persona</span>
          <select
            id="persona"
            value={props.persona}
            onChange={(e: ChangeEvent<HTMLSelectElement>) => props.onPersona(e.target.value)}
          >
            <option value={ANONYMOUS}>Anonymous</option>
            {mode.personas.map((p) => (
              <option key={p.username} value={p.username} title={p.displayName}>
                {`${p.username} — ${p.description}`}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode.kind === 'token' && (
        <label className="carm-toolbar__field carm-toolbar__field--grow">
          <span>Bearer token</span>
          <input
            id="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="paste a JWT (empty = anonymous)"
            value={props.token}
            onChange={(e: ChangeEvent<HTMLInputElement>) => props.onToken(e.target.value.trim())}
          />
        </label>
      )}
      {mode.kind === 'token' && mode.note && <span className="carm-toolbar__hint">{mode.note}</span>}
    </header>
  );
}

function App() {
  const [mode, setMode] = useState<AuthMode>({ kind: 'loading' });
  const [persona, setPersona] = useState<string>(() => readStorage(localStorage, PERSONA_KEY) ?? ANONYMOUS);
  // A pasted token lives only for the browser tab (sessionStorage), not on disk.
  const [pastedToken, setPastedToken] = useState<string>(() => readStorage(sessionStorage, TOKEN_KEY) ?? '');

  // Signed in at the identity provider: the person and their current (refreshed) access token.
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void loadAuthMode().then((m) => {
      if (!cancelled) setMode(m);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (mode.kind === 'loading') return;
    if (mode.kind !== 'oidc') return setReady(true);
    let cancelled = false;
    mode.session.start().then(
      (u) => {
        if (cancelled) return;
        setUser(u);
        setReady(true);
      },
      () => !cancelled && setReady(true),
    );
    const stop = mode.session.onToken((u) => !cancelled && setUser(u));
    return () => {
      cancelled = true;
      stop();
    };
  }, [mode]);

  const token =
    mode.kind === 'oidc'
      ? (user?.accessToken ?? '')
      : mode.kind === 'personas'
      ? (mode.personas.find((p) => p.username === persona)?.token ?? '')
      : mode.kind === 'token'
        ? pastedToken
        : '';

  const fetcher = useFetcher(token);

  const choosePersona = (username: string) => {
    setPersona(username);
    writeStorage(localStorage, PERSONA_KEY, username);
  };
  const chooseToken = (value: string) => {
    setPastedToken(value);
    writeStorage(sessionStorage, TOKEN_KEY, value);
  };

  // A remembered persona that no longer exists falls back to Anonymous.
  const knownPersona =
    mode.kind === 'personas' && mode.personas.some((p) => p.username === persona) ? persona : ANONYMOUS;

  return (
    <div className="carm-page">
      <Toolbar
        mode={mode}
        persona={knownPersona}
        onPersona={choosePersona}
        token={pastedToken}
        onToken={chooseToken}
        user={user}
      />
      <main className="carm-graphiql">
        {/* Render GraphiQL once we know who we are, so the first schema
            introspection already runs with the right credentials. */}
        {ready && (
          <GraphiQL
            fetcher={fetcher}
            defaultQuery={DEFAULT_QUERY}
            initialQuery={initialQueryFromUrl()}
            defaultEditorToolsVisibility={false}
          />
        )}
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

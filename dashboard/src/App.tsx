import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { SignedInUser } from '../../web/oidc';
import { loadSignInMode, rememberedPersona, rememberedToken, rememberPersona, rememberToken, type SignInMode } from './auth';
import { createDashboardClient, isResync, type Connection, type DashboardClient } from './client';
import { AccountDetail, downloadExport } from './AccountDetail';
import { businessToday, daysUntil, formatCycle, formatDate, formatInstantDate, formatMoney, isPositive, ROLE_LABEL } from './format';
import { readView, showView, type View } from './location';
import {
  AccessChangedDocument,
  AccountRowRefreshDocument,
  ClientCountDocument,
  DashboardPageDocument,
  ExportTransactionsDocument,
  MeDocument,
  StatementsChangedDocument,
  type AccountRowFragment,
  type DashboardPageQuery,
  type DashboardPageQueryVariables,
} from './generated/graphql';

/** Clients per page: a broker with 10,000 clients never loads more than this at once. */
export const PAGE_SIZE = 25;
/** Access ending within this many days is flagged. */
const EXPIRING_SOON_DAYS = 30;
/** How long a changed row stays highlighted. */
const HIGHLIGHT_MS = 8_000;

type Business = DashboardPageQuery['businesses']['edges'][number]['node'];
type Statement = NonNullable<AccountRowFragment['statements']>['edges'][number]['node'];

/** The money fields compared to mark what an event changed. */
const WATCHED: (keyof Statement)[] = [
  'visibleCharges', 'previousBalance', 'currentCharges', 'corrections', 'credits', 'interestAndPenalties', 'payments', 'refunds', 'totalPayable', 'status', 'dueDate', 'cycleEnd',
];

export function App() {
  const [mode, setMode] = useState<SignInMode>({ kind: 'loading' });
  const [persona, setPersona] = useState(rememberedPersona);
  const [pasted, setPasted] = useState(rememberedToken);
  // Signed in at the identity provider (OpenID Connect): the person, and their current access token.
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void loadSignInMode().then((m) => !cancelled && setMode(m));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (mode.kind !== 'oidc') return;
    let cancelled = false;
    mode.session.start().then(
      (u) => !cancelled && setUser(u),
      (err: unknown) => !cancelled && setSignInError(`Signing in did not finish: ${err instanceof Error ? err.message : String(err)}`),
    );
    // A refreshed token replaces the old one in place; the session's end signs the page out.
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
          ? pasted
          : '';
  // The dashboard is kept across a token's refresh: it belongs to the person, and reads the latest token.
  const identity = mode.kind === 'oidc' ? (user?.subject ?? '') : token;
  const tokenRef = useRef(token);
  tokenRef.current = token;

  return (
    <div className="page">
      <header className="topbar">
        <h1>
          Client dashboard <span className="topbar__sub">CARM Client Portal</span>
        </h1>
        {mode.kind === 'loading' && <span className="hint">Loading…</span>}
        {mode.kind === 'oidc' &&
          (user ? (
            <span className="field">
              <span data-signed-in={user.subject}>Signed in as {user.name ?? user.subject}</span>
              <button id="sign-out" type="button" onClick={() => void mode.session.signOut()}>
                Sign out
              </button>
            </span>
          ) : (
            <button id="sign-in" type="button" onClick={() => void mode.session.signIn()}>
              Sign in
            </button>
          ))}
        {mode.kind === 'personas' && (
          <label className="field">
            <span>Signed in as</span>
            <select
              id="persona"
              value={mode.personas.some((p) => p.username === persona) ? persona : ''}
              onChange={(e: ChangeEvent<HTMLSelectElement>) => {
                setPersona(e.target.value);
                rememberPersona(e.target.value);
              }}
            >
              <option value="">Choose a demo persona…</option>
              {mode.personas.map((p) => (
                <option key={p.username} value={p.username}>{`${p.username} — ${p.description}`}</option>
              ))}
            </select>
          </label>
        )}
        {mode.kind === 'token' && (
          <label className="field field--grow">
            <span>Bearer token</span>
            <input
              id="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="paste a token from your identity provider"
              value={pasted}
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                setPasted(e.target.value.trim());
                rememberToken(e.target.value.trim());
              }}
            />
          </label>
        )}
        {mode.kind === 'token' && mode.note && <span className="hint">{mode.note}</span>}
      </header>
      {signInError && (
        <p className="error empty" role="alert">
          {signInError}
        </p>
      )}
      {identity ? (
        <Dashboard key={identity} token={() => tokenRef.current} />
      ) : (
        mode.kind !== 'loading' && (
          <p className="empty">
            {mode.kind === 'oidc'
              ? 'Sign in with your identity provider to see your clients.'
              : mode.kind === 'personas'
                ? 'Choose who you are above (erin is a broker with two clients).'
                : 'Paste a bearer token to see your clients.'}
          </p>
        )
      )}
    </div>
  );
}

interface Change {
  at: number;
  fields: Set<string>;
}

function Dashboard({ token }: { token: () => string }) {
  const [connection, setConnection] = useState<Connection>('connecting');
  const [retryAt, setRetryAt] = useState<number | null>(null);
  // Handlers the client calls back into read the latest page loader through this ref.
  const reloadRef = useRef<() => void>(() => undefined);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  // One client (and socket) per person, made and disposed by an effect: React may mount twice (StrictMode in development).
  const [client, setClient] = useState<DashboardClient | null>(null);
  useEffect(() => {
    const c = createDashboardClient(() => tokenRef.current(), { onConnection: setConnection, onReconnected: () => reloadRef.current(), onRetryAt: setRetryAt });
    setClient(c);
    return () => c.dispose();
  }, []);
  return client ? <DashboardPage client={client} connection={connection} retryAt={retryAt} reloadRef={reloadRef} /> : null;
}

function DashboardPage({
  client,
  connection,
  retryAt,
  reloadRef,
}: {
  client: DashboardClient;
  connection: Connection;
  retryAt: number | null;
  reloadRef: { current: () => void };
}) {
  // What is shown (search, page, open account) lives in the address: see location.ts.
  const [view, setView] = useState<View>(readView);
  const [searchInput, setSearchInput] = useState(view.search);
  const search = view.search;
  const cursor = view.cursor;
  const [page, setPage] = useState<DashboardPageQuery['businesses'] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [me, setMe] = useState<string | null>(null);
  /** Rows refreshed by events since the page was read, by account id. */
  const [refreshed, setRefreshed] = useState<Map<string, AccountRowFragment>>(new Map());
  const [changes, setChanges] = useState<Map<string, Change>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const [offPage, setOffPage] = useState(0);
  const [lastEvent, setLastEvent] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    void client.urql
      .query(MeDocument, {})
      .toPromise()
      .then((r) => setMe(r.data?.viewer.user?.displayName ?? null));
  }, [client]);

  // Back and Forward move between views.
  useEffect(() => {
    const onPop = () => {
      const v = readView();
      setView(v);
      setSearchInput(v.search);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((next: View, how: 'push' | 'replace') => {
    showView(next, how);
    setView(next);
  }, []);

  // Search is done by the server; typing waits for a pause. Nothing typed, nothing to do: resetting
  // the page here would read it again (and an event arriving meanwhile would find no change to mark).
  useEffect(() => {
    const next = searchInput.trim();
    if (next === search) return;
    const t = setTimeout(() => go({ search: next, page: 1, cursor: {}, account: view.account }, 'replace'), 300);
    return () => clearTimeout(t);
  }, [searchInput, search, go, view.account]);

  const variables: DashboardPageQueryVariables = useMemo(
    () => ({
      ...(cursor.before ? { last: PAGE_SIZE, before: cursor.before } : { first: PAGE_SIZE, after: cursor.after ?? null }),
      search: search || null,
    }),
    [cursor, search],
  );

  const generation = useRef(0);
  const loadPage = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    const result = await client.urql.query(DashboardPageDocument, variables).toPromise();
    if (mine !== generation.current) return; // a newer read (search, paging) superseded this one
    setLoading(false);
    if (result.error) {
      setError(result.error.graphQLErrors[0]?.message ?? result.error.message);
      return;
    }
    setError(null);
    setPage(result.data!.businesses);
    setRefreshed(new Map());
  }, [client, variables]);
  // The count of clients: when the search changes, and when access changed (the page is read again then).
  const [total, setTotal] = useState<number | null>(null);
  const counting = useRef(0);
  const loadCount = useCallback(async () => {
    const mine = ++counting.current;
    const result = await client.urql.query(ClientCountDocument, { search: search || null }).toPromise();
    if (mine === counting.current && result.data) setTotal(result.data.businesses.totalCount);
  }, [client, search]);
  useEffect(() => void loadCount(), [loadCount]);
  reloadRef.current = () => {
    void loadPage();
    void loadCount();
  };
  useEffect(() => void loadPage(), [loadPage]);

  // The countdown to the next reconnection attempt, while there is one.
  useEffect(() => {
    if (retryAt === null) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [retryAt]);
  const retryNow = () => {
    client.retryNow();
    reloadRef.current();
  };

  const businesses: Business[] = page?.edges.map((e) => e.node) ?? [];
  const rows = new Map<string, AccountRowFragment>();
  for (const b of businesses) for (const e of b.programAccounts?.edges ?? []) rows.set(e.node.id, refreshed.get(e.node.id) ?? e.node);
  const onScreen = useRef(rows);
  onScreen.current = rows;

  // One refresh at a time per account; events that arrive meanwhile ask for one more.
  const inFlight = useRef(new Map<string, boolean>());
  const refreshRow = useCallback(
    async (accountId: string, bn15: string) => {
      if (inFlight.current.has(accountId)) {
        inFlight.current.set(accountId, true);
        return;
      }
      inFlight.current.set(accountId, false);
      try {
        const result = await client.urql.query(AccountRowRefreshDocument, { bn15 }).toPromise();
        const row = result.data?.programAccount;
        if (!row) {
          // Out of reach since (NOT_FOUND): what the page shows is stale, read it again.
          reloadRef.current();
          return;
        }
        const before = onScreen.current.get(accountId);
        const fields = changedFields(before, row);
        setRefreshed((m) => new Map(m).set(accountId, row));
        if (fields.size) {
          const at = Date.now();
          setChanges((m) => new Map(m).set(accountId, { at, fields }));
          setTimeout(() => setChanges((m) => (m.get(accountId)?.at === at ? withoutKey(m, accountId) : m)), HIGHLIGHT_MS);
          const s = row.statements?.edges[0]?.node;
          const amount = s?.view === 'FULL' ? `total payable ${formatMoney(s.totalPayable)}` : `charges you may see ${formatMoney(s?.currentCharges)}`;
          setAnnouncement(`${row.bn15} updated: ${amount}`);
        }
      } finally {
        const again = inFlight.current.get(accountId);
        inFlight.current.delete(accountId);
        if (again) void refreshRow(accountId, bn15);
      }
    },
    [client],
  );

  // Live: statement changes refresh the rows on screen; access changes read the page again, and so
  // does a resync (the server may have missed events: `extensions.resync`, a message without data).
  useEffect(() => {
    const statements = client.urql.subscription(StatementsChangedDocument, {}).subscribe((result) => {
      if (isResync(result)) return reloadRef.current();
      const account = result.data?.statementsUpdated.programAccount;
      if (!account) return;
      setLastEvent(Date.now());
      if (onScreen.current.has(account.id)) void refreshRow(account.id, account.bn15);
      else setOffPage((n) => n + 1);
    });
    const access = client.urql.subscription(AccessChangedDocument, {}).subscribe((result) => {
      if (result.data || isResync(result)) reloadRef.current();
    });
    return () => {
      statements.unsubscribe();
      access.unsubscribe();
    };
  }, [client, refreshRow]);

  // Access that simply runs out sends no event: read the page again when the first one on screen ends.
  const nextExpiry = Math.min(...[...rows.values()].map((r) => (r.myAccessExpiresAt ? Date.parse(r.myAccessExpiresAt) : Infinity)));
  useEffect(() => {
    const ms = nextExpiry - Date.now();
    if (!Number.isFinite(ms) || ms > 2_000_000_000) return;
    const t = setTimeout(() => reloadRef.current(), Math.max(0, ms) + 1_000);
    return () => clearTimeout(t);
  }, [nextExpiry]);

  const today = businessToday();
  const accountCount = rows.size;

  const pages = total === null ? null : Math.max(1, Math.ceil(total / PAGE_SIZE));
  const openAccount = (bn15: string | null) => go({ ...view, account: bn15 }, 'push');

  return (
    <main className="dashboard">
      <div className="toolbar">
        <label className="field field--grow">
          <span>Search clients</span>
          <input
            id="search"
            type="search"
            placeholder="BN9 or legal name"
            value={searchInput}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setSearchInput(e.target.value)}
          />
        </label>
        <span className={`connection connection--${connection}`} role="status" data-connection={connection}>
          {connection === 'live' ? 'Live' : connection === 'reconnecting' ? 'Reconnecting…' : connection === 'closed' ? 'Disconnected: sign in again' : 'Connecting…'}
          {connection === 'reconnecting' && retryAt !== null && (
            <span className="muted" data-next-retry-at={retryAt}>
              {' '}
              next try in {Math.max(0, Math.ceil((retryAt - now) / 1000))} s
            </span>
          )}
        </span>
        {connection === 'reconnecting' && (
          <button id="retry-now" type="button" onClick={retryNow}>
            Retry now
          </button>
        )}
        <button id="export-all" type="button" onClick={() => void downloadExport(client, ExportTransactionsDocument, { filter: null }, (d) => d?.transactionsExport.url, setError)}>
          Export transactions (CSV)
        </button>
        {me && <span className="hint">{me}</span>}
      </div>
      <p className="summary" aria-live="off">
        {loading && !page
          ? 'Loading your clients…'
          : `${businesses.length} of ${total ?? '?'} ${total === 1 ? 'business' : 'businesses'}${search ? ` matching “${search}”` : ''} · page ${view.page}${pages ? ` of ${pages}` : ''} · ${accountCount} program accounts on this page`}
        {lastEvent && ` · last update ${new Date(lastEvent).toLocaleTimeString('en-CA')}`}
        {offPage > 0 && ` · ${offPage} ${offPage === 1 ? 'change' : 'changes'} on accounts not on this page`}
      </p>
      <div className="visually-hidden" aria-live="polite" id="announcer">
        {announcement}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}{' '}
          <button type="button" className="retry" onClick={retryNow}>
            Retry now
          </button>
        </p>
      )}
      <table className="accounts" aria-busy={loading}>
        <caption className="visually-hidden">Program accounts of your clients, with their latest statement and its arithmetic</caption>
        <thead>
          <tr>
            <th scope="col">Program account</th>
            <th scope="col">Your role</th>
            <th scope="col">Cycle</th>
            <th scope="col" className="num">Previous balance</th>
            <th scope="col" className="num">+ Charges</th>
            <th scope="col" className="num">+ Corrections</th>
            <th scope="col" className="num">− Credits</th>
            <th scope="col" className="num">+ Interest &amp; penalties</th>
            <th scope="col" className="num">− Payments</th>
            <th scope="col" className="num">+ Refunds</th>
            <th scope="col" className="num">= Total payable</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">Overdue</th>
            <th scope="col">RPP</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        {businesses.map((b) => (
          <tbody key={b.id} data-bn9={b.bn9} className="business">
            <tr className="business__head">
              <th scope="rowgroup" colSpan={COLUMNS}>
                {b.legalName} <span className="muted">BN {b.bn9}</span>
                {(b.programAccounts?.totalCount ?? 0) > (b.programAccounts?.edges.length ?? 0) && (
                  <span className="muted"> · first {b.programAccounts!.edges.length} of {b.programAccounts!.totalCount} accounts</span>
                )}
              </th>
            </tr>
            {(b.programAccounts?.edges ?? []).length === 0 && (
              <tr>
                <td colSpan={COLUMNS} className="muted">
                  {b.isServiceProvider ? 'Your own business: no program accounts you may reach.' : 'No program accounts you may reach.'}
                </td>
              </tr>
            )}
            {(b.programAccounts?.edges ?? []).map(({ node }) => {
              const row = rows.get(node.id)!;
              return <AccountRow key={node.id} row={row} change={changes.get(node.id)} today={today} open={view.account === row.bn15} onOpen={openAccount} />;
            })}
          </tbody>
        ))}
      </table>
      {page && businesses.length === 0 && <p className="empty">{search ? `No client matches “${search}”.` : 'You have no clients yet.'}</p>}
      <nav className="pager" aria-label="Pages of clients">
        <button
          type="button"
          id="previous-page"
          disabled={view.page <= 1 && !page?.pageInfo.hasPreviousPage}
          onClick={() =>
            view.page <= 2
              ? go({ ...view, page: 1, cursor: {} }, 'push')
              : page?.pageInfo.startCursor && go({ ...view, page: view.page - 1, cursor: { before: page.pageInfo.startCursor } }, 'push')
          }
        >
          ← Previous
        </button>
        <span className="hint" id="page-number">
          Page {view.page}
          {pages ? ` of ${pages}` : ''}
        </span>
        <button
          type="button"
          id="next-page"
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() => page?.pageInfo.endCursor && go({ ...view, page: view.page + 1, cursor: { after: page.pageInfo.endCursor } }, 'push')}
        >
          Next →
        </button>
      </nav>
      {view.account && <AccountDetail key={view.account} client={client} bn15={view.account} onClose={() => openAccount(null)} />}
    </main>
  );
}

/** Columns of the accounts table. */
const COLUMNS = 15;

/**
 * One of a statement's totals as the API gives it to this viewer: with a FULL view the whole journal's;
 * with a RESTRICTED one the sum of the lines they may see (the same meaning), or a dash for what only
 * the whole journal can tell (previous balance, total payable). `title` says which, in a restricted row.
 */
function Amount({ s, field, changed, title }: { s: Statement | undefined; field: keyof Statement; changed: string; title?: string }) {
  const value = s?.[field] as string | null | undefined;
  return (
    <td className={`num${changed}`} data-field={field} title={s?.view === 'RESTRICTED' ? title : undefined}>
      {s ? formatMoney(value) : '—'}
    </td>
  );
}

function AccountRow({ row, change, today, open, onOpen }: { row: AccountRowFragment; change?: Change; today: string; open: boolean; onOpen(bn15: string): void }) {
  const s = row.statements?.edges[0]?.node;
  const restricted = s?.view === 'RESTRICTED';
  const changed = (field: string) => (change?.fields.has(field) ? ' cell--changed' : '');
  const hidden = 'Not shown to you: your visibility rules hide some of this account’s transactions, so account-wide totals are withheld.';
  const seen = 'Your view: the lines of this statement you may see (the declarations your rules let through).';
  const expiresIn = row.myAccessExpiresAt ? daysUntil(row.myAccessExpiresAt) : null;
  return (
    <tr data-bn15={row.bn15} className={change ? 'row--changed' : undefined} data-changed={change ? 'true' : undefined} data-view={s?.view}>
      <th scope="row">
        <button type="button" className="link bn15" aria-expanded={open} aria-controls="account-detail" onClick={() => onOpen(row.bn15)} title="Open this account: its statement's journal and recent transactions">
          {row.bn15}
        </button>{' '}
        <span className="muted">{row.name}</span>
        {change && (
          <span className="badge badge--changed">
            Updated <span className="visually-hidden">just now</span>
          </span>
        )}
      </th>
      <td>{row.myRole ? ROLE_LABEL[row.myRole] ?? row.myRole : '—'}</td>
      <td>
        {s ? (
          <>
            <span className={`status status--${s.status.toLowerCase()}`}>{s.status === 'OPEN' ? 'Open' : 'Issued'}</span>{' '}
            <span className="muted nowrap">{formatCycle(s.cycleStart, s.cycleEnd)}</span>
          </>
        ) : (
          <span className="muted">No statement</span>
        )}
      </td>
      <Amount s={s} field="previousBalance" changed={changed('previousBalance')} title={hidden} />
      <td className={`num${changed('visibleCharges')}${changed('currentCharges')}`} data-field="charges">
        {/* One meaning in both views: the declarations' charges on this statement (corrections apart), those you may see. */}
        {s ? (restricted ? <span title="The declarations you may see on this statement">{formatMoney(s.currentCharges)} <span className="tag">your view</span></span> : formatMoney(s.currentCharges)) : '—'}
      </td>
      <Amount s={s} field="corrections" changed={changed('corrections')} title={seen} />
      <Amount s={s} field="credits" changed={changed('credits')} title={seen} />
      <Amount s={s} field="interestAndPenalties" changed={changed('interestAndPenalties')} title={seen} />
      <Amount s={s} field="payments" changed={changed('payments')} title="Your view: the payments your business made" />
      <Amount s={s} field="refunds" changed={changed('refunds')} title={seen} />
      <td className={`num strong${changed('totalPayable')}`} data-field="totalPayable" title={restricted ? hidden : undefined}>
        {s ? formatMoney(s.totalPayable) : '—'}
      </td>
      <td className={`nowrap${s && s.dueDate < today && s.status === 'ISSUED' ? ' warn' : ''}`}>{s ? formatDate(s.dueDate) : '—'}</td>
      <td className={`num${isPositive(row.overdue) ? ' overdue' : ''}`} data-field="overdue" title={row.overdue === null ? hidden : undefined}>
        {formatMoney(row.overdue)}
      </td>
      <td data-field="rpp" title={row.hasRppPrivilege === null ? 'Only the importer’s BAM and the account’s PAM see its security.' : undefined}>
        {row.hasRppPrivilege === null ? '—' : row.hasRppPrivilege ? <span className="ok">Yes</span> : <span className="warn">No</span>}
      </td>
      <td data-field="access">
        {expiresIn === null ? (
          <span className="muted">{row.myRole === 'EXPIRED' ? 'Ended' : 'No end date'}</span>
        ) : expiresIn <= EXPIRING_SOON_DAYS ? (
          <span className="badge badge--warn" title={`Your access ends ${new Date(row.myAccessExpiresAt!).toLocaleString('en-CA')}`}>
            Ends in {expiresIn} {expiresIn === 1 ? 'day' : 'days'}
          </span>
        ) : (
          <span className="muted nowrap">Until {formatInstantDate(row.myAccessExpiresAt!)}</span>
        )}
      </td>
    </tr>
  );
}

function changedFields(before: AccountRowFragment | undefined, after: AccountRowFragment): Set<string> {
  const fields = new Set<string>();
  const a = before?.statements?.edges[0]?.node;
  const b = after.statements?.edges[0]?.node;
  if (a?.id !== b?.id) fields.add('statement');
  for (const f of WATCHED) if (a?.[f] !== b?.[f]) fields.add(f);
  if (before?.overdue !== after.overdue) fields.add('overdue');
  return fields;
}

function withoutKey<K, V>(m: Map<K, V>, k: K): Map<K, V> {
  const copy = new Map(m);
  copy.delete(k);
  return copy;
}

/**
 * What the dashboard shows, in its address: the search (`q`), the page of clients (`page`, and the
 * cursor it was reached by, `after` or `before`) and the account opened (`account`, a BN15). A
 * reload, a bookmark or a link sent to a colleague opens the same view, and the browser's Back and
 * Forward move between views. Other parameters (`persona`) are left as they are.
 */
export interface View {
  search: string;
  /** Page number shown (1 = the first), with the cursor that reaches it. */
  page: number;
  cursor: { after?: string; before?: string };
  account: string | null;
}

const KEYS = ['q', 'page', 'after', 'before', 'account'];

export function readView(search = location.search): View {
  const p = new URLSearchParams(search);
  const page = Number(p.get('page'));
  const after = p.get('after') ?? undefined;
  const before = after ? undefined : (p.get('before') ?? undefined);
  return {
    search: (p.get('q') ?? '').slice(0, 100),
    page: Number.isInteger(page) && page > 1 && (after || before) ? page : 1,
    cursor: after ? { after } : before ? { before } : {},
    account: /^\d{9}RM\d{4}$/.test(p.get('account') ?? '') ? p.get('account') : null,
  };
}

export function viewUrl(view: View, search = location.search): string {
  const p = new URLSearchParams(search);
  for (const k of KEYS) p.delete(k);
  if (view.search) p.set('q', view.search);
  if (view.page > 1 && (view.cursor.after || view.cursor.before)) {
    p.set('page', String(view.page));
    if (view.cursor.after) p.set('after', view.cursor.after);
    else if (view.cursor.before) p.set('before', view.cursor.before);
  }
  if (view.account) p.set('account', view.account);
  const query = p.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** Records a view: a new entry in the history (paging, opening an account), or in place of the current one (typing a search). */
export function showView(view: View, how: 'push' | 'replace'): void {
  const url = viewUrl(view);
  if (url === `${location.pathname}${location.search}`) return;
  if (how === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/**
 * One account, opened from its row: its latest statement's journal (the lines the viewer may see:
 * all of them with a FULL view) and its recent transactions, each downloadable as CSV. Read when
 * opened, one request; what the viewer may not see is not there (a null section says so).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useState } from 'react';
import type { DashboardClient } from './client';
import { formatCycle, formatDate, formatMoney } from './format';
import { AccountDetailDocument, ExportStatementPostingsDocument, ExportTransactionsDocument, type AccountDetailQuery } from './generated/graphql';

type Account = NonNullable<AccountDetailQuery['programAccount']>;

/**
 * Asks the API for a download link (a few minutes long, for this person) and follows it: the file
 * downloads (Content-Disposition: attachment) and the page stays where it is.
 */
export async function downloadExport<R, V extends Record<string, unknown>>(
  client: DashboardClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
  url: (data: R | undefined) => string | null | undefined,
  onError: (message: string) => void,
): Promise<void> {
  const result = await client.urql.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
  const href = url(result.data);
  if (result.error || !href) {
    onError(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? 'The export could not be made.');
    return;
  }
  location.assign(href);
}

export function AccountDetail({ client, bn15, onClose }: { client: DashboardClient; bn15: string; onClose(): void }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void client.urql
      .query(AccountDetailDocument, { bn15 })
      .toPromise()
      .then((r) => {
        if (cancelled) return;
        // Sections the viewer may not read come back null with an error of their own: show the rest.
        if (r.data?.programAccount) setAccount(r.data.programAccount);
        else setError(r.error?.graphQLErrors[0]?.message ?? r.error?.message ?? 'This account could not be read.');
      });
    return () => {
      cancelled = true;
    };
  }, [client, bn15]);

  const statement = account?.statements?.edges[0]?.node;
  const postings = statement?.postings;
  const transactions = account?.transactions;

  return (
    <section className="detail" id="account-detail" aria-labelledby="account-detail-title" data-bn15={bn15}>
      <header className="detail__head">
        <h2 id="account-detail-title">
          <span className="bn15">{bn15}</span> {account && <span className="muted">{account.name} · {account.business.legalName}</span>}
        </h2>
        <button type="button" id="close-account" onClick={onClose}>
          Close
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!account && !error && <p className="muted">Loading…</p>}
      {account && (
        <div className="detail__body">
          <div className="detail__section" data-section="postings">
            <div className="detail__title">
              <h3>
                {statement ? (
                  <>
                    Statement {formatCycle(statement.cycleStart, statement.cycleEnd)} <span className="muted">({statement.status === 'OPEN' ? 'open' : 'issued'}, due {formatDate(statement.dueDate)})</span>
                  </>
                ) : (
                  'Statement'
                )}
              </h3>
              {statement && (
                <button
                  type="button"
                  id="export-postings"
                  onClick={() => void downloadExport(client, ExportStatementPostingsDocument, { id: statement.id }, (d) => (d?.node?.__typename === 'Statement' ? d.node.postingsExport.url : null), setError)}
                >
                  Download its journal (CSV)
                </button>
              )}
            </div>
            {!account.statements ? (
              <p className="muted">Statements are not shown to you on this account.</p>
            ) : !statement ? (
              <p className="muted">No statement yet.</p>
            ) : (
              <>
                {statement.view === 'RESTRICTED' && (
                  <p className="hint">Your visibility rules hide some of this account’s transactions: the lines of the ones you may see, and your business’s payments.</p>
                )}
                <table className="lines">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Posted</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Description</th>
                      <th scope="col">Transaction</th>
                      <th scope="col" className="num">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {postings?.edges.map(({ node: p }) => (
                      <tr key={p.id} data-line={p.lineNo}>
                        <td>{p.lineNo}</td>
                        <td className="nowrap">{formatDate(p.postedOn)}</td>
                        <td>{p.kind.toLowerCase()}</td>
                        <td>{p.description}</td>
                        <td className="bn15">{p.transaction?.transactionNumber ?? ''}</td>
                        <td className="num" data-field="amount">
                          {formatMoney(p.amount)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {postings && postings.totalCount > postings.edges.length && (
                  <p className="hint">
                    The first {postings.edges.length} of {postings.totalCount} lines: download the journal for all of them.
                  </p>
                )}
              </>
            )}
          </div>
          <div className="detail__section" data-section="transactions">
            <div className="detail__title">
              <h3>Recent transactions {transactions && <span className="muted">({transactions.totalCount} in all)</span>}</h3>
              {transactions && (
                <button
                  type="button"
                  id="export-account-transactions"
                  onClick={() => void downloadExport(client, ExportTransactionsDocument, { filter: { bn15 } }, (d) => d?.transactionsExport.url, setError)}
                >
                  Download all (CSV)
                </button>
              )}
            </div>
            {!transactions ? (
              <p className="muted">Transactions are not shown to you on this account.</p>
            ) : transactions.edges.length === 0 ? (
              <p className="muted">No transactions you may see.</p>
            ) : (
              <table className="lines">
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Released</th>
                    <th scope="col">Filed by</th>
                    <th scope="col">Version</th>
                    <th scope="col" className="num">Duties and taxes</th>
                  </tr>
                </thead>
                <tbody>
                  {transactions.edges.map(({ node: t }) => (
                    <tr key={t.id} data-transaction={t.transactionNumber}>
                      <td className="bn15">{t.transactionNumber}</td>
                      <td className="nowrap">
                        {formatDate(t.releasedOn)}
                        {t.late && <span className="tag">late</span>}
                      </td>
                      <td>{t.submittedBy.legalName}</td>
                      <td>{t.currentVersionNo}</td>
                      <td className="num">{formatMoney(t.totalDutiesAndTaxes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

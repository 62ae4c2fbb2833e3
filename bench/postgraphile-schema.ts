/**
 * What PostGraphile is given to serve the benchmark's pages with the same rows as the API (see
 * pages.ts for why each is there): SQL functions in a schema of their own, so the API's schema is
 * untouched. PostGraphile inlines a function's call into the statement it plans, and PostgreSQL
 * inlines a STABLE SQL function's body into its plan: the functions add no round trip and leave the
 * planner free to choose, as a view would.
 */
import type pg from "pg";

export const POSTGRAPHILE_SCHEMA = "postgraphile_bench";

export const postGraphileFunctions = `
CREATE SCHEMA ${POSTGRAPHILE_SCHEMA};

-- A broker's clients: businesses with an active, unexpired relationship to the broker. The broker's
-- id is looked up first, so that PostgreSQL can walk the businesses in name order and check each
-- (what the API does for a large book): joined on the broker's BN9 instead, it estimated one client,
-- read all 10,000 relationships and sorted them (133 ms instead of 4).
CREATE FUNCTION ${POSTGRAPHILE_SCHEMA}.broker_clients(provider_bn9 text) RETURNS SETOF public.businesses
LANGUAGE sql STABLE AS $$
  SELECT b.* FROM public.businesses b
   WHERE EXISTS (SELECT 1 FROM public.relationships r
                  WHERE r.client_business_id = b.id AND r.status = 'ACTIVE' AND (r.expires_at IS NULL OR r.expires_at > now())
                    AND r.provider_business_id = (SELECT p.id FROM public.businesses p WHERE p.bn9 = provider_bn9::bpchar))
$$;
-- Orderable like a table (PostGraphile orders and pages a function's rows only when told to).
COMMENT ON FUNCTION ${POSTGRAPHILE_SCHEMA}.broker_clients(text) IS E'@behavior +orderBy +order';

-- The transactions of an account that the broker's relationship with its owner lets the broker see
-- (the relationship's "submitted by" flags).
CREATE FUNCTION ${POSTGRAPHILE_SCHEMA}.program_accounts_transactions_seen_by(pa public.program_accounts, provider_bn9 text) RETURNS SETOF public.transactions
LANGUAGE sql STABLE AS $$
  SELECT t.* FROM public.transactions t
    JOIN public.relationships r ON r.client_business_id = pa.business_id AND r.status = 'ACTIVE' AND (r.expires_at IS NULL OR r.expires_at > now())
     AND r.provider_business_id = (SELECT p.id FROM public.businesses p WHERE p.bn9 = provider_bn9::bpchar)
   WHERE t.program_account_id = pa.id
     AND CASE WHEN t.submitted_by_business_id = r.provider_business_id THEN r.see_submitted_by_provider
              WHEN t.submitted_by_business_id = r.client_business_id THEN r.see_submitted_by_client
              ELSE r.see_submitted_by_others END
$$;
COMMENT ON FUNCTION ${POSTGRAPHILE_SCHEMA}.program_accounts_transactions_seen_by(public.program_accounts, text) IS E'@behavior +orderBy +order';
`;

export async function installPostGraphileFunctions(client: pg.Client | pg.Pool): Promise<void> {
  await client.query(postGraphileFunctions);
}

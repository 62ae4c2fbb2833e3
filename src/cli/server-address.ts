/**
 * The API's address as the command-line tools take it, and what to say when `/dev/personas` gives no
 * tokens there: the address is wrong (not this API), nothing answers, the server refuses clients not
 * on its machine, or its development issuer is off. Each says what to do.
 */

/** The server's base URL from what a person typed; the API's own `/graphql` address is accepted for it. */
export function baseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/.test(trimmed) || !URL.canParse(trimmed)) {
    throw new Error(`"${url}" is not a URL: give the server's address, such as http://localhost:4000.`);
  }
  return trimmed.replace(/\/graphql$/, "");
}

/** GET `${base}${path}`, or an error saying that nothing answers at `base`. */
export async function fetchFrom(base: string, path: string): Promise<Response> {
  try {
    return await fetch(`${base}${path}`, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new NothingAnswers(`Nothing answers at ${base} (${cause}): is the server running (npm start), and is that its address?`);
  }
}

export class NothingAnswers extends Error {}

/** Whether `base` is this API: its GraphQL endpoint answers `{ __typename }` as a GraphQL server does. */
async function isTheApi(base: string): Promise<boolean> {
  const probe = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  if (!probe?.ok) return false;
  const body = (await probe.json().catch(() => null)) as { data?: { __typename?: string } } | null;
  return body?.data?.__typename === "Query";
}

/** Why `${base}/dev/personas` (answered `res`) gave no tokens, in words a person can act on. */
export async function whyNoPersonas(base: string, res: Response, tool: string): Promise<string> {
  if (res.status === 403) {
    const body = (await res.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    return `${base}/dev/personas refused: ${body?.errors?.[0]?.message ?? "development tokens are for clients on the server's machine"}`;
  }
  if (!(await isTheApi(base))) {
    return `${base} is not the address of this API: ${base}/graphql does not answer GraphQL there. Give the server's address, such as http://localhost:4000 (its GraphQL endpoint, .../graphql, works too).`;
  }
  return `${base}/dev/personas answered ${res.status}: ${tool} uses the demo personas' tokens, so the server's development token issuer must be on (no AUTH_JWKS_URL / AUTH_PUBLIC_KEY, DEV_ISSUER not off); with a real identity provider, get tokens from it.`;
}

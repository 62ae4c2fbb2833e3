/**
 * HTTP targets and measured slices of load (autocannon), without the rest of the harness: a load
 * generator running in a process of its own (load-child.ts) imports only this.
 */
import autocannon from "autocannon";

/** One HTTP request as the load generator sends it. */
export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The body every response must have (checked for each response under load). */
  expectBody?: string;
}

export function graphqlTarget(url: string, query: string, token?: string, variables?: unknown): Target {
  return {
    url,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  };
}

export async function send(t: Target): Promise<{ text: string; json: any }> {
  const res = await fetch(t.url, { method: "POST", headers: t.headers, body: t.body });
  const text = await res.text();
  return { text, json: JSON.parse(text) };
}

export interface Slice {
  seconds: number;
  responses: { ms: number; bytes: number; status: number }[];
  mismatches: number;
  connectionErrors: number;
  /** The first body that was not the expected one, if any (to say what went wrong). */
  mismatch?: string;
}

/** `connections` clients sending `t` one request after another for `seconds`. */
export function load(t: Target, connections: number, seconds: number): Promise<Slice> {
  return new Promise((resolve, reject) => {
    const responses: Slice["responses"] = [];
    let mismatch: string | undefined;
    const instance = autocannon(
      { url: t.url, method: "POST", headers: t.headers, body: t.body, connections, duration: seconds, ...(t.expectBody ? { expectBody: t.expectBody } : {}) },
      (err: unknown, result: autocannon.Result) =>
        err ? reject(err) : resolve({ seconds: result.duration, responses, mismatches: result.mismatches, connectionErrors: result.errors, mismatch }),
    );
    instance.on("response", (_client: unknown, status: number, bytes: number, ms: number) => responses.push({ ms, bytes, status }));
    (instance as unknown as NodeJS.EventEmitter).on("reqMismatch", (body: string) => (mismatch ??= body));
  });
}

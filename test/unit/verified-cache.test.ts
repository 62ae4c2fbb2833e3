/**
 * Remembering verified tokens (auth/identity.ts, rememberingVerified): only the exact text of a token
 * verified before is taken on trust, for a limited time and never past its expiry; nothing refused is
 * remembered; the cache is bounded.
 */
import { describe, expect, it } from "vitest";
import { rememberingVerified, type TokenVerifier } from "../../src/auth/identity.js";

const MINUTE = 60_000;

/** A verifier that accepts tokens named "ok:<subject>:<expiry ms>" (and counts its calls), like the real one would. */
function fakeIssuer(clock: { now: number }) {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    async verify(token) {
      calls.push(token);
      const [kind, subject, exp] = token.split(":");
      if (kind !== "ok") throw new Error("The bearer token is not valid");
      if (clock.now > Number(exp) + 30_000) throw new Error("The bearer token has expired");
      return { subject: subject!, expiresAt: Number(exp) };
    },
  };
  return { verifier, calls };
}

describe("remembering verified tokens", () => {
  it("checks a token once, then answers from memory with the same subject and expiry", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 60, now: () => clock.now });
    const token = `ok:demo|alice:${clock.now + 10 * MINUTE}`;
    const first = await remembering.verify(token);
    clock.now += 30_000;
    expect(await remembering.verify(token)).toEqual(first);
    expect(first).toEqual({ subject: "demo|alice", expiresAt: 1_000_000 + 10 * MINUTE });
    expect(calls).toEqual([token]);
    // Another token (another person, or the same person's next token) is checked on its own.
    await remembering.verify(`ok:demo|erin:${clock.now + MINUTE}`);
    expect(calls).toHaveLength(2);
  });

  it("remembers nothing of a refused token", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 60, now: () => clock.now });
    await expect(remembering.verify("forged")).rejects.toThrow("not valid");
    await expect(remembering.verify("forged")).rejects.toThrow("not valid");
    expect(calls).toEqual(["forged", "forged"]);
  });

  it("checks the token again once it has been remembered for the configured time", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 60, now: () => clock.now });
    const token = `ok:demo|alice:${clock.now + 10 * MINUTE}`;
    await remembering.verify(token);
    clock.now += 59_000;
    await remembering.verify(token);
    expect(calls).toHaveLength(1);
    clock.now += 2_000;
    await remembering.verify(token);
    expect(calls).toHaveLength(2);
  });

  it("never answers from memory for a token past its expiry (and its leeway)", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 3600, now: () => clock.now });
    const token = `ok:demo|alice:${clock.now + 10_000}`;
    await remembering.verify(token);
    clock.now += 10_000 + 30_000; // at the end of the leeway: still valid
    await remembering.verify(token);
    expect(calls).toHaveLength(1);
    clock.now += 1;
    await expect(remembering.verify(token)).rejects.toThrow("expired");
    await expect(remembering.verify(token)).rejects.toThrow("expired");
    expect(calls).toHaveLength(3);
  });

  it("keeps at most its number of entries, the least recently used going first", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 60, maxEntries: 2, now: () => clock.now });
    const [a, b, c] = ["a", "b", "c"].map((s) => `ok:${s}:${clock.now + MINUTE}`) as [string, string, string];
    await remembering.verify(a);
    await remembering.verify(b);
    await remembering.verify(a); // a is now the most recently used
    await remembering.verify(c); // b goes
    expect(calls).toEqual([a, b, c]);
    await remembering.verify(a);
    await remembering.verify(b);
    expect(calls).toEqual([a, b, c, b]);
  });

  it("keeps at most its number of bytes", async () => {
    const clock = { now: 1_000_000 };
    const { verifier, calls } = fakeIssuer(clock);
    const remembering = rememberingVerified(verifier, { seconds: 60, maxBytes: 3_000, now: () => clock.now });
    const long = (s: string) => `ok:${s.repeat(500)}:${clock.now + MINUTE}`; // about 2 KB each as remembered
    await remembering.verify(long("a"));
    await remembering.verify(long("b"));
    await remembering.verify(long("a"));
    expect(calls).toHaveLength(3);
  });
});

// The key of an anonymous client (src/limits/client-address.ts): its own address, or the one a
// trusted proxy relays. The threat: a client choosing its key by writing a forwarding header (a
// fresh fair share, budget and refusal pacing per request), or every client behind a proxy sharing
// one key (one's burst refused for all). The header walk is proxy-addr's; this checks our use of it.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressOf, group } from "../../src/limits/client-address.js";

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, connection: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe("clientAddressOf", () => {
  it("without TRUST_PROXY, is the connecting address whatever the headers say", () => {
    const of = clientAddressOf({ trusted: [] });
    expect(of(req("127.0.0.2", { "x-forwarded-for": "203.0.113.9", forwarded: "for=203.0.113.9" }))).toBe("127.0.0.2");
  });

  it("believes X-Forwarded-For from a trusted proxy only, and only its rightmost untrusted entry", () => {
    const of = clientAddressOf({ trusted: ["127.0.0.1", "10.0.0.0/8"] });
    expect(of(req("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    // What the client wrote itself lies left of what the proxy appended.
    expect(of(req("127.0.0.1", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" }))).toBe("203.0.113.9");
    // Two trusted hops.
    expect(of(req("127.0.0.1", { "x-forwarded-for": "198.51.100.1, 203.0.113.9, 10.1.2.3" }))).toBe("203.0.113.9");
    // Not from a trusted proxy: the header is the client's own words.
    expect(of(req("127.0.0.2", { "x-forwarded-for": "203.0.113.9" }))).toBe("127.0.0.2");
    // Forwarded (RFC 7239) is never read: a proxy appending to X-Forwarded-For passes it through as the client wrote it.
    expect(of(req("127.0.0.1", { forwarded: "for=203.0.113.9" }))).toBe("127.0.0.1");
    // An IPv6 client of a trusted IPv4-mapped proxy address, keyed by its /64.
    expect(of(req("::ffff:10.0.0.5", { "x-forwarded-for": "2001:db8:aa:bb:1:2:3:4" }))).toBe("2001:db8:aa:bb::/64");
  });

  it("with a number of hops, believes that many hops whatever their addresses, and no more", () => {
    const of = clientAddressOf({ hops: 1 });
    expect(of(req("192.0.2.7", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(of(req("192.0.2.7"))).toBe("192.0.2.7");
    const two = clientAddressOf({ hops: 2 });
    expect(two(req("192.0.2.7", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" }))).toBe("198.51.100.1");
  });
});

describe("group", () => {
  it("keys IPv4 as it is, IPv6 by its /64 however it is spelled, anything else bounded", () => {
    expect(group("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(group("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(group("2001:0db8:0000:0000:ffff::9")).toBe("2001:db8:0:0::/64");
    expect(group("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(group("::1")).toBe("0:0:0:0::/64");
    expect(group("0:0:0:0:0:ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(group("x".repeat(500))).toHaveLength(64);
  });
});

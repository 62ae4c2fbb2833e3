import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";

/**
 * Which reverse proxies are believed about the client they relay (TRUST_PROXY): none; the proxies
 * at these addresses or in these ranges (`loopback`, `linklocal`, `uniquelocal` too); or the `hops`
 * nearest hops, whatever their addresses.
 */
export type TrustProxyConfig = { trusted: string[] } | { hops: number };

/** The key of an anonymous client: its address, an IPv6 address by its /64. */
export type ClientAddress = (req: IncomingMessage) => string;

/**
 * Who an anonymous client is, for its fair share, its cost budget and the pacing of its refusals:
 * the address it connects from. Behind a reverse proxy every client connects from the proxy, so all
 * anonymous clients would share one key (one's burst refused for all); with TRUST_PROXY set, a request
 * that comes through trusted proxies is keyed by the client address they relay in X-Forwarded-For.
 *
 * Only a trusted hop is believed, as proxy-addr (express's "trust proxy") reads the chain: from the
 * connecting address leftwards through X-Forwarded-For, each hop that is a trusted proxy hands over
 * to the address it relays; the first address that is not trusted is the client. A proxy appends
 * the address it received the request from, so whatever a client writes in the header itself lies
 * further left and is never reached: it cannot choose its key (a fresh share and budget per request).
 * Without TRUST_PROXY the header is not read at all. RFC 7239's Forwarded header is never read: a
 * proxy that appends to X-Forwarded-For passes a client's own Forwarded header through untouched.
 *
 * Keys are bounded: an IPv6 address counts by its /64 (one host commonly has a whole /64), anything
 * that is not an address (a proxy relaying `unknown`) at most 64 characters.
 */
export function clientAddressOf(config: TrustProxyConfig): ClientAddress {
  if ("hops" in config) {
    const hops = config.hops;
    return (req) => group(proxyaddr(req, (_addr, i) => i < hops));
  }
  if (config.trusted.length === 0) return (req) => group(req.socket.remoteAddress ?? "unknown");
  const trust = proxyaddr.compile(config.trusted);
  return (req) => group(proxyaddr(req, trust));
}

/** Whether proxy-addr reads an entry of TRUST_PROXY: an address, a CIDR range, or a named range. */
export function trustable(entry: string): boolean {
  try {
    proxyaddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * The key of an address: IPv4 as it is (an IPv4-mapped IPv6 address too, however spelled), IPv6 by
 * its /64 (ipaddr.js reads every spelling), anything else (`unknown`, a name) bounded.
 */
export function group(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const ip = ipaddr.process(address);
  if (ip.kind() === "ipv4") return ip.toString();
  return `${(ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
}

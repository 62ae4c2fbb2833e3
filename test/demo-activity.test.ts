/**
 * `npm run demo:activity` works against a real server through the API only, and what it does is what
 * dashboards are for: each step reaches a subscriber of statementsUpdated.
 */
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemoActivity } from "../src/cli/demo-activity.js";
import { StatementsUpdatedDocument } from "./generated/graphql.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("npm run demo:activity", () => {
  it("files CADs, a correction and payments as the demo personas, and alice's dashboard hears of each change to her accounts", async () => {
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token("alice")}` }, retryAttempts: 0 });
    const heard: string[] = [];
    client.subscribe({ query: print(StatementsUpdatedDocument) }, { next: (v: any) => void heard.push(v.data?.statementsUpdated?.programAccount?.bn15), error: () => undefined, complete: () => undefined });
    try {
      // Wait for the subscription to be live (a first round), then count what a second round brings.
      const lines: string[] = [];
      await waitFor(async () => {
        await runDemoActivity({ url: server.url, rounds: 1, pauseMs: 0, log: (l) => lines.push(l) });
        return heard.length > 0;
      }, 20_000, "the dashboard to hear a first change");
      const from = heard.length;
      // The API's GraphQL address is what people know it by: accepted for the server's.
      const { steps } = await runDemoActivity({ url: `${server.url}/graphql/`, rounds: 1, pauseMs: 0, log: (l) => lines.push(l) });
      expect(steps).toBe(7);
      expect(lines.some((l) => /frank corrected \d{14}: CORRECTION ACCEPTED/.test(l))).toBe(true);
      expect(lines.some((l) => l.startsWith("erin paid 75.00 by debit card for Maple Leaf, as Northern"))).toBe(true);
      // Maple Leaf's: carol's CAD, frank's CAD and its correction, alice's card payment, erin's payment; never Prairie's.
      await waitFor(() => heard.length - from >= 5, 10_000, "five updates of Maple Leaf's statements");
      expect(new Set(heard.slice(from))).toEqual(new Set(["123456782RM0001", "123456782RM0002"]));
    } finally {
      await client.dispose();
    }
  });

  it("says the URL is what is wrong when it is not the API's address", async () => {
    await expect(runDemoActivity({ url: `${server.url}/nowhere`, rounds: 1, pauseMs: 0, log: () => undefined })).rejects.toThrow(
      new RegExp(`^${server.url}/nowhere is not the address of this API: ${server.url}/nowhere/graphql does not answer GraphQL there`),
    );
    await expect(runDemoActivity({ url: "http://127.0.0.1:1", rounds: 1, pauseMs: 0, log: () => undefined })).rejects.toThrow(/^Nothing answers at http:\/\/127\.0\.0\.1:1 .*is the server running/);
    await expect(runDemoActivity({ url: "localhost:4000", rounds: 1, pauseMs: 0, log: () => undefined })).rejects.toThrow(/is not a URL/);
  });

  it("says the development issuer must be on when the URL is right and the server hands out no demo tokens", async () => {
    const closed = await startTestServer({ DEV_ISSUER: "off" });
    try {
      await expect(runDemoActivity({ url: `${closed.url}/graphql`, rounds: 1, pauseMs: 0, log: () => undefined })).rejects.toThrow(
        /dev\/personas answered 404: .*development token issuer must be on/,
      );
    } finally {
      await closed.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("smoke", () => {
  it("alice reads her business", async () => {
    const res = await server.gql(`{ business(bn9: "123456782") { legalName } }`, { as: "alice" });
    expect(res.data).toEqual({ business: { legalName: "Maple Leaf Windows & Doors Inc." } });
  });
});

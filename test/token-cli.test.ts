/**
 * `npm run token` gives a token the running server accepts, whatever data directory the server uses
 * (its development key lives there): it asks the server. Signing with the key of another data
 * directory, when no server answers, is said on stderr, and the server's 401 for such a token says
 * why. The threat is a confused newcomer, not an attacker: nothing here widens who gets tokens.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devToken, TokenError } from "../src/cli/token.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let otherDataDir: string;
beforeAll(async () => {
  server = await startTestServer();
  otherDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-token-"));
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(otherDataDir, { recursive: true, force: true });
});

const whoIs = async (token: string) => server.gql(`{ viewer { user { username } } }`, { token });

describe("npm run token", () => {
  it("asks the running server, so its token is accepted whatever DATA_DIR this shell has", async () => {
    const { token, note } = await devToken("erin", { url: server.url, env: { DATA_DIR: otherDataDir } });
    expect(note).toBeNull();
    expect((await whoIs(token)).data).toEqual({ viewer: { user: { username: "erin" } } });
    // The API's GraphQL address works as well as its base address.
    expect((await whoIs((await devToken("ivan", { url: `${server.url}/graphql` })).token)).data!.viewer.user.username).toBe("ivan");
  });

  it("with no server there, signs with this shell's DATA_DIR key and says so; a server with another key refuses it and says why", async () => {
    const { token, note } = await devToken("alice", { url: "http://127.0.0.1:1", env: { DATA_DIR: otherDataDir } });
    expect(note).toBe(
      `No server answers at http://127.0.0.1:1: signed with the development key in ${otherDataDir}. A server started with another DATA_DIR refuses it; start the server first, or pass its address with --url.`,
    );
    const refused = await whoIs(token);
    expect(refused.status).toBe(401);
    expect(refused.errors![0]!.message).toMatch(/^The bearer token was signed by another key than this server's development issuer/);
    // Nothing of the server's key in the message.
    expect(refused.errors![0]!.message).not.toMatch(/dev-\d+|kid|\/tmp|\.json/);
  });

  it("says what is wrong: an unknown persona, a server without a development issuer, an address that is not the API's", async () => {
    await expect(devToken("mallory", { url: server.url })).rejects.toThrow(/^Usage: npm run token -- <persona>.*\nPersonas: alice/s);
    await expect(devToken("alice", { url: `${server.url}/nowhere` })).rejects.toThrow(/\/nowhere is not the address of this API/);
    const closed = await startTestServer({ DEV_ISSUER: "off" });
    try {
      const err = await devToken("alice", { url: closed.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenError);
      expect((err as Error).message).toMatch(/dev\/personas answered 404: npm run token uses the demo personas' tokens, so the server's development token issuer must be on/);
    } finally {
      await closed.stop();
    }
  });

  it("as a command, with PORT naming the server: prints the token on stdout, nothing on stderr", async () => {
    const cli = path.join(import.meta.dirname, "..", "dist", "src", "cli", "token.js");
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const port = new URL(server.url).port;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, "carol"], { env: { ...process.env, PORT: port, DATA_DIR: otherDataDir } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c));
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect((await whoIs(stdout.trim())).data!.viewer.user.username).toBe("carol");
  });
});

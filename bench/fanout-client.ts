/**
 * One of `npm run bench:fanout`'s client processes (bench/fanout.ts starts several): opens the
 * graphql-ws sockets it is given, one subscription each (the graphql-transport-ws protocol over the
 * `ws` package, as lean as a client can be, so that the API's cost is what is measured), and records
 * when each message arrives and which state it shows. Driven by its parent over IPC:
 *   { type: "open", sockets: [{ index, url, token, query }], concurrency }  -> { type: "opened", failed }
 *   { type: "records" }  -> { type: "records", records: [socket, at (ms since the epoch), cents | -1 resync | -2 error][] }
 *   { type: "close" }    -> { type: "closed" }
 */
import WebSocket from "ws";

interface SocketSpec {
  /** The socket's number in the whole benchmark (what its records carry). */
  index: number;
  url: string;
  token: string;
  query: string;
}

type Record = [socket: number, at: number, cents: number];

const sockets: WebSocket[] = [];
let records: Record[] = [];
const now = () => performance.timeOrigin + performance.now();

function send(message: unknown): void {
  process.send!(message);
}

/** Opens one socket and subscribes; resolves once the subscribe message is sent (or on failure). */
function open(spec: SocketSpec): Promise<boolean> {
  const index = spec.index;
  return new Promise((resolve) => {
    const ws = new WebSocket(spec.url, "graphql-transport-ws", { perMessageDeflate: false });
    sockets.push(ws);
    let settled = false;
    const settle = (ok: boolean) => {
      if (!settled) resolve(ok);
      settled = true;
    };
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${spec.token}` } })));
    ws.on("message", (data) => {
      const at = now();
      const text = String(data);
      // An event: read the subtotal it shows without parsing the whole message (the client's CPU is
      // the API's too on a benchmark machine).
      if (text.startsWith('{"id"')) {
        const charges = /"visibleCharges":"(-?\d+(?:\.\d+)?)"/.exec(text)?.[1];
        records.push([index, at, charges !== undefined ? Math.round(Number(charges) * 100) : text.includes('"resync"') ? -1 : -2]);
        return;
      }
      const message = JSON.parse(text) as { type: string };
      if (message.type === "connection_ack") {
        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: spec.query } }));
        settle(true);
      }
    });
    ws.on("error", () => settle(false));
    ws.on("close", () => settle(false));
  });
}

process.on("message", async (message: { type: string; sockets?: SocketSpec[]; concurrency?: number }) => {
  if (message.type === "open") {
    const specs = message.sockets!;
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < specs.length) {
        const i = next++;
        if (!(await open(specs[i]!))) failed++;
      }
    };
    await Promise.all(Array.from({ length: message.concurrency ?? 20 }, worker));
    send({ type: "opened", failed });
  } else if (message.type === "records") {
    send({ type: "records", records });
    records = [];
  } else if (message.type === "close") {
    await Promise.all(
      sockets.splice(0).map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once("close", () => resolve());
            ws.close(1000);
            setTimeout(() => (ws.terminate(), resolve()), 5000).unref();
          }),
      ),
    );
    records = [];
    send({ type: "closed" });
  }
});
send({ type: "ready" });

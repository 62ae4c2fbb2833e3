/**
 * A slow subscriber must neither stall the process nor be flooded: while it works on one event,
 * repetitions of another coalesce (events only say "look again"), distinct events keep their order,
 * and at most SUBSCRIBER_BUFFER distinct ones wait. Unsubscribing stops delivery.
 */
import { describe, expect, it } from "vitest";
import { EventBus, SUBSCRIBER_BUFFER } from "../../src/events/bus.js";
import { createLogger } from "../../src/logger.js";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const event = (n: number) => ({ statementId: uuid(n), programAccountId: uuid(0) });

function setup() {
  // Never started: only its local fan-out is exercised here.
  const bus = new EventBus("postgres://127.0.0.1:1/unused", createLogger("silent"));
  const publish = (n: number) => bus.pubSub.publish("STATEMENT_UPDATED", uuid(0), event(n));
  const iterator = bus.subscribe("STATEMENT_UPDATED", uuid(0))[Symbol.asyncIterator]();
  return { publish, iterator };
}

describe("the event bus's fan-out", () => {
  it("coalesces repetitions that arrive while the subscriber is busy, in order of first arrival", async () => {
    const { publish, iterator } = setup();
    const first = iterator.next();
    await Promise.resolve();
    publish(1);
    expect((await first).value).toEqual(event(1));
    // The subscriber is "busy" (not pulling): 2, 3, 2, 2, 3, 1 arrive.
    for (const n of [2, 3, 2, 2, 3, 1]) publish(n);
    expect((await iterator.next()).value).toEqual(event(2));
    expect((await iterator.next()).value).toEqual(event(3));
    expect((await iterator.next()).value).toEqual(event(1));
    const nothing = await Promise.race([iterator.next().then(() => "event"), new Promise((r) => setTimeout(() => r("none"), 50))]);
    expect(nothing).toBe("none");
    await iterator.return?.();
  });

  it("keeps the newest SUBSCRIBER_BUFFER distinct events when more wait", async () => {
    const { publish, iterator } = setup();
    const first = iterator.next();
    await Promise.resolve();
    publish(0);
    await first;
    for (let n = 1; n <= SUBSCRIBER_BUFFER + 10; n++) publish(n);
    const got: string[] = [];
    for (let i = 0; i < SUBSCRIBER_BUFFER; i++) got.push(((await iterator.next()).value as { statementId: string }).statementId);
    expect(got[0]).toBe(uuid(11));
    expect(got.at(-1)).toBe(uuid(SUBSCRIBER_BUFFER + 10));
    await iterator.return?.();
  });

  it("keeps an event published after subscribing and before the first read (the server's window between the two)", async () => {
    const { publish, iterator } = setup();
    publish(7);
    expect((await iterator.next()).value).toEqual(event(7));
    await iterator.return?.();
  });

  it("a subscription ended before it was ever read hears nothing more", async () => {
    const { publish, iterator } = setup();
    expect(await iterator.return?.()).toMatchObject({ done: true });
    publish(3);
    expect(await iterator.next()).toMatchObject({ done: true });
  });

  it("stops delivering once the subscriber leaves", async () => {
    const { publish, iterator } = setup();
    const first = iterator.next();
    await Promise.resolve();
    publish(1);
    await first;
    expect(await iterator.return?.()).toMatchObject({ done: true });
    publish(2);
    expect(await iterator.next()).toMatchObject({ done: true });
  });
});

/**
 * A load generator in a process of its own, for `npm run bench:profile`: there the server under
 * test runs in the profiling process, whose CPU time must be the server's alone. Receives
 * `{ target, connections, seconds }` over IPC, answers with the slice (http-load.ts) and exits.
 */
import { load, type Target } from "./http-load.js";

process.once("message", async (m: { target: Target; connections: number; seconds: number }) => {
  const slice = await load(m.target, m.connections, m.seconds);
  process.send!(slice, () => process.exit(0));
});
process.send!("ready");

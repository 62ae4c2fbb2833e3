import { createLogger, type Logger } from "../../src/logger.js";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told (printing only at LOG_LEVEL, since tests provoke errors on purpose), for asserting on logs. */
export function captureLogger(base: Record<string, unknown> = {}, lines: LogLine[] = []): { logger: Logger; lines: LogLine[] } {
  const printer = createLogger((process.env.LOG_LEVEL as "error") ?? "silent");
  const at = (level: LogLine["level"]) => (msg: string, fields: Record<string, unknown> = {}) => {
    lines.push({ level, msg, fields: { ...base, ...fields } });
    printer[level](msg, { ...base, ...fields });
  };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => captureLogger({ ...base, ...fields }, lines).logger,
  };
  return { logger, lines };
}

/** Polls `cond` until it holds, or fails after `ms` (never a fixed sleep: the machine is shared). */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

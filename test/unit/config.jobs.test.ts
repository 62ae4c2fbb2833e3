// Jobs and email settings: safe defaults (jobs on, emails kept in the outbox), and a typo is an error at start, not a silent default.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

describe("loadConfig: jobs and email", () => {
  it("runs jobs by default, in the pgboss schema, with no mail server", () => {
    const c = loadConfig({});
    expect(c.jobs).toEqual({ enabled: true, schema: "pgboss" });
    expect(c.email).toEqual({ smtpUrl: undefined, from: "CARM Client Portal <no-reply@carm-portal.invalid>", maxAttempts: 10, pollSeconds: 5 });
  });

  it("JOBS=off turns the worker off; anything but on/off is refused", () => {
    expect(loadConfig({ JOBS: "off" }).jobs.enabled).toBe(false);
    expect(loadConfig({ JOBS: "on" }).jobs.enabled).toBe(true);
    expect(() => loadConfig({ JOBS: "sometimes" })).toThrow(/JOBS must be "on" or "off"/);
  });

  it("takes SMTP_URL and MAIL_FROM, and refuses a URL that is not SMTP", () => {
    const c = loadConfig({ SMTP_URL: "smtp://user:pass@mail.example:587", MAIL_FROM: "Portal <portal@example.com>", EMAIL_MAX_ATTEMPTS: "3" });
    expect(c.email).toMatchObject({ smtpUrl: "smtp://user:pass@mail.example:587", from: "Portal <portal@example.com>", maxAttempts: 3 });
    expect(() => loadConfig({ SMTP_URL: "https://mail.example" })).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => loadConfig({ SMTP_URL: "not a url" })).toThrow(/SMTP_URL must be a URL/);
    expect(() => loadConfig({ EMAIL_MAX_ATTEMPTS: "0" })).toThrow(/at least 1/);
    expect(() => loadConfig({ JOBS_SCHEMA: "pg-boss; drop" })).toThrow(/JOBS_SCHEMA/);
  });
});

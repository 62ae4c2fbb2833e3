import type { JobDefinition } from "./runner.js";

/** Every named job. Add a job here and it is queued, worked and scheduled wherever JOBS is on. */
export const jobRegistry: JobDefinition<never>[] = [];

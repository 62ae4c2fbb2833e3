import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module). Node, and so type-graphql and the shield, load
    // the CJS build; vite would hand our sources the ESM one, and two graphql instances break
    // `instanceof` checks (scalars, schema). Make the tests resolve graphql exactly as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Decorators (type-graphql, TypeORM) need the metadata polyfill before any module that uses them,
    // whatever a test file happens to import first.
    setupFiles: ["reflect-metadata"],
    // Each file gets its own database (cloned from a migrated, seeded template) and server.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

// Builds the offline GraphiQL page served by the API at /graphiql/.
// Everything (React, GraphiQL, Monaco and its web workers, fonts) is bundled
// into dist/graphiql; the page never loads anything from another origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: here,
  base: '/graphiql/',
  publicDir: false,
  // TSX is compiled by vite's built-in oxc transform (no plugin-react).
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  worker: {
    // Monaco workers (editor, json, graphql) are imported with `?worker` by
    // graphiql/setup-workers/vite and emitted as separate hashed ES modules.
    format: 'es',
    rolldownOptions: { checks: { moduleLevelDirective: false } },
  },
  build: {
    outDir: `${repoRoot}dist/graphiql`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Monaco + GraphiQL is big; this is a dev tool served locally.
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    rolldownOptions: {
      // framer-motion & co. ship "use client" directives, meaningless here.
      checks: { moduleLevelDirective: false },
    },
  },
});

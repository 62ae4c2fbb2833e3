// The broker dashboard served by the API at /dashboard/ (built by `npm run build`, bundled by vite:
// it works with no internet). It is also the reference client for front-end teams: urql with its
// defaults, graphql-ws, typed documents generated from ./operations.graphql by codegen.yml.
import './dashboard.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

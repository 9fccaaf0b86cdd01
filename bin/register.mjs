// Loads TypeScript through tsx, and resolves `server-only` to its server build (see server-only-hook.mjs).
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

registerHooks('./server-only-hook.mjs', import.meta.url);
register();

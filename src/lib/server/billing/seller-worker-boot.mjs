// Worker entry (seller-pool.ts): loads the TypeScript worker through tsx, whoever started the
// process (the CLI under tsx, vitest, a server), since a worker does not inherit every loader.
import { register } from 'tsx/esm/api';

register();
await import('./seller-worker.ts');

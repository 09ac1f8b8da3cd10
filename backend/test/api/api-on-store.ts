import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server.ts';
import type { ApiOptions } from '../../src/api/server.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * The API on a test's store with no ingest behind it (a sink that stores nothing, a miner with no
 * templates), open to every request, unless `options` say otherwise.
 */
export function apiOnStore(store: Store, options: Partial<ApiOptions> = {}): FastifyInstance {
  return buildApi({
    store,
    sink: { resumePoint: () => null, write: () => undefined, reportError: () => undefined },
    minerStats: () => ({ templates: 0, evictions: 0, lines: 0 }),
    auth: {},
    maxIngestBytes: 1 << 20,
    version: 'test',
    isReady: () => true,
    ...options,
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startLookout } from '../src/app/lookout.ts';
import type { LookoutConfig, RunningLookout } from '../src/app/lookout.ts';
import { DEFAULT_RETENTION } from '../src/store/retention.ts';

/** A real Lookout backend on a free loopback port with its own temporary data directory. */
export async function startTestLookout(
  overrides: Partial<LookoutConfig> = {},
): Promise<RunningLookout & { dataDir: string; stopAndClean(): Promise<void> }> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'lookout-test-'));
  const lookout = await startLookout({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    sources: [],
    localJournal: false,
    maxIngestBytes: 16 * 1024 * 1024,
    retention: DEFAULT_RETENTION,
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
  return {
    ...lookout,
    dataDir,
    stopAndClean: async () => {
      await lookout.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

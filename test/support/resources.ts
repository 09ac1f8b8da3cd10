import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { startGatewayd } from './journald.ts';
import type { Gatewayd } from './journald.ts';

/**
 * What a test file makes and must undo (temporary directories, gatewayd processes, servers), undone
 * in reverse order once all of its tests have run. Call once per file, at the top level.
 */
export function testResources() {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return {
    onCleanup(cleanup: () => Promise<void> | void): void {
      cleanups.push(cleanup);
    },
    tempDir(prefix = 'lookout-test-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    /** The real systemd-journal-gatewayd serving `dir` on loopback, stopped after the file's tests. */
    async gatewayd(dir: string): Promise<Gatewayd> {
      const gatewayd = await startGatewayd(dir);
      cleanups.push(() => gatewayd.stop());
      return gatewayd;
    },
  };
}

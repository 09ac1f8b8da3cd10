import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(command: string): boolean {
  if (command.includes('/')) return canExecute(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => canExecute(join(dir, command)));
}

function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * For `test(name, { skip: missingTool(...) }, fn)`: false when every command is there; otherwise a skip
 * message naming the Debian package. Under CI=true a missing tool throws, so the suite fails instead.
 */
export function missingTool(debianPackage: string, ...commands: string[]): string | false {
  const missing = commands.filter((command) => !onPath(command));
  if (missing.length === 0) return false;
  const message = `${missing.join(', ')} not found: install the Debian package "${debianPackage}" (apt-get install ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  return message;
}

/** The real journald tools the journal tests drive: skip (or, under CI, fail) without them. */
export function missingJournaldTools(): string | false {
  return missingTool(
    'systemd-journal-remote',
    '/lib/systemd/systemd-journal-remote',
    '/lib/systemd/systemd-journal-gatewayd',
    'journalctl',
    'systemd-socket-activate',
  );
}

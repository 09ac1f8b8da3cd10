/**
 * Every source is named by a URL-like key, which is also what users see in `GET /api/v1/sources`:
 * the agent URL for pulls, `file:///path` for imports, `stdin:`, `push:`, `journal:local`.
 */
export type SourceKind = 'pull' | 'import' | 'push' | 'local';

export const PUSH_SOURCE = 'push:';
export const STDIN_SOURCE = 'stdin:';
export const LOCAL_JOURNAL_SOURCE = 'journal:local';

export function sourceKind(key: string): SourceKind {
  if (key.startsWith('http://') || key.startsWith('https://')) return 'pull';
  if (key.startsWith('file:') || key === STDIN_SOURCE) return 'import';
  if (key === PUSH_SOURCE) return 'push';
  return 'local';
}

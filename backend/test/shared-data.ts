import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The read-only test data shared beside the repository (../shared/data); never copied into it. */
export function sharedData(relative: string): string {
  const path = fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));
  if (!existsSync(path))
    throw new Error(`shared test data missing: ${path} (expected ../shared/data beside the repo)`);
  return path;
}

#!/usr/bin/env node
// Runs every *.test.ts under the workspaces with Node's own test runner (through tsx), which
// prints the standard closing summary. Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['backend/test', 'test'];
const filters = process.argv.slice(2);

function findTests(dir) {
  let found = [];
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const dirent of dirents) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory() && dirent.name !== 'node_modules') found = found.concat(findTests(path));
    else if (dirent.isFile() && dirent.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const files = roots
  .flatMap(findTests)
  .map((file) => relative(process.cwd(), file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || 'under ' + roots.join(', ')}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

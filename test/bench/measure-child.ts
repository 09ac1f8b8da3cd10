import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  stdout: string;
  stderr: string;
  code: number | null;
  seconds: number;
  /** Highest resident set size seen while it ran, in MB. */
  peakRssMb: number;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs a command, sampling its resident memory, so each measurement has a process of its own. */
export function runMeasured(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let peakRssMb = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sampler = setInterval(() => {
      if (child.pid !== undefined) peakRssMb = Math.max(peakRssMb, rssMb(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ stdout, stderr, code, seconds: (performance.now() - started) / 1000, peakRssMb });
    });
  });
}

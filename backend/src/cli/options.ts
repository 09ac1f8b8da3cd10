import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';

/** An option that also reads `LOOKOUT_<NAME>` from the environment (flags win over the environment). */
export function envOption(flags: string, description: string, envName: string): Option {
  return new Option(flags, description).env(envName);
}

export function dataOption(): Option {
  return envOption('--data <dir>', 'data directory (SQLite store, snapshots)', 'LOOKOUT_DATA').default(
    './data',
  );
}

export function configOption(): Option {
  return envOption(
    '--config <file>',
    'JSON config file; keys are option names (e.g. {"port": 8428})',
    'LOOKOUT_CONFIG',
  );
}

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0)
      throw new Error(`${name} must be a positive whole number, got "${value}"`);
    return parsed;
  };
}

/**
 * Fills options that neither a flag nor the environment set from the `--config` file, so the order of
 * precedence is flags, then LOOKOUT_* variables, then the config file, then defaults.
 */
export function applyConfigFile(command: Command): void {
  const file = command.getOptionValue('config') as string | undefined;
  if (!file) return;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  const known = new Map(command.options.map((option) => [option.attributeName(), option]));
  for (const [rawKey, value] of Object.entries(config)) {
    const key = rawKey.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const option = known.get(key);
    if (!option) throw new Error(`config file ${file}: unknown option "${rawKey}" for "${command.name()}"`);
    const source = command.getOptionValueSource(key);
    if (source !== undefined && source !== 'default') continue;
    // Config values go through the same parsers (and checks) as flags; lists may be JSON arrays.
    const parsed =
      option.parseArg && value !== null && typeof value !== 'boolean'
        ? option.parseArg(Array.isArray(value) ? value.join(',') : String(value), undefined)
        : value;
    command.setOptionValueWithSource(key, parsed, 'config');
  }
}

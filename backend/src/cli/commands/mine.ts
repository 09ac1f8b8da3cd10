import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import { isLineError, parseJournalLine } from '../../journal/parse.ts';
import { TemplateMiner } from '../../mining/index.ts';
import { CsvWriter } from '../../app/csv.ts';
import { configOption, dataOption } from '../options.ts';

interface MineOptions {
  journald: boolean;
  templates: boolean;
}

/** Rejected lines named one by one on stderr before the rest are only counted. */
const REPORTED_REJECTS = 100;

export function mineCommand(): Command {
  return new Command('mine')
    .summary('show the template of every message in a file (or - for stdin), as CSV')
    .description(
      'Mine log templates from a file (or - for stdin) and print them as CSV on stdout.\n\n' +
        'Reads one message per line, or with --journald the MESSAGE of each `journalctl -o json` line ' +
        '(a byte-array MESSAGE is decoded as UTF-8, invalid bytes replaced). Prints the header ' +
        '`line,template_id,template` and one row per input line, in input order, lines numbered from 1; ' +
        'with --templates it prints `template_id,count,template` instead, most frequent first. Variable ' +
        'parts of a template are written <*>. Uses the same miner, with the same defaults, as the ' +
        'service, but starts empty and stores nothing.\n\n' +
        'With --journald, a line that is not a journald JSON object is reported on stderr with its line ' +
        'number and skipped, and the exit status is 2. Exit status 1 means the input could not be read.\n\n' +
        'Each row shows the template as it stood when its line was mined: a template may generalise ' +
        'as later lines join it, and keeps its id when it does.\n\n' +
        'Examples:\n' +
        '  lookout mine messages.txt\n' +
        '  journalctl -o json -b | lookout mine --journald --templates -',
    )
    .argument('<file>', 'file to read, or - for stdin')
    .option('--journald', 'read `journalctl -o json` lines and mine their MESSAGE field', false)
    .option('--templates', 'print each distinct template with its count instead of one row per line', false)
    .addOption(dataOption())
    .addOption(configOption())
    .action(async (file: string, options: MineOptions) => {
      // A reader that stops early (`| head`) is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(process.exitCode ?? 0);
      });
      const input = file === '-' ? process.stdin : await openInput(file);
      const output = new CsvWriter(process.stdout);
      const miner = new TemplateMiner();
      let rejected = 0;
      if (!options.templates) await output.row('line', 'template_id', 'template');
      let lineNumber = 0;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        lineNumber++;
        let message = line;
        let timeUs: number | undefined;
        if (options.journald) {
          const entry = parseJournalLine(line, lineNumber);
          if (entry === null) continue;
          if (isLineError(entry)) {
            rejected++;
            if (rejected <= REPORTED_REJECTS) console.error(`line ${entry.line}: ${entry.error}`);
            continue;
          }
          message = entry.message;
          timeUs = entry.timeUs;
        }
        const mined = miner.add(message, timeUs);
        if (!options.templates) await output.row(lineNumber, mined.templateId, mined.template);
      }
      if (options.templates) {
        await output.row('template_id', 'count', 'template');
        const templates = miner.templates().sort((a, b) => b.count - a.count || a.id - b.id);
        for (const template of templates) await output.row(template.id, template.count, template.template);
        if (miner.stats.evictions > 0) {
          console.error(
            `${miner.stats.evictions} rarely seen template(s) were forgotten to bound memory; their counts are missing`,
          );
        }
      }
      await output.flush();
      if (rejected > 0) {
        if (rejected > REPORTED_REJECTS) console.error(`… and ${rejected - REPORTED_REJECTS} more`);
        console.error(`${rejected} line(s) were not journald JSON objects and were skipped`);
        process.exitCode = 2;
      }
    });
}

async function openInput(file: string): Promise<Readable> {
  // Opening first turns a missing or unreadable file into a clear error before any output.
  const handle = await open(file, 'r');
  return handle.createReadStream();
}

import { Command } from 'commander';
import { IngestPipeline } from '../../app/pipeline.ts';
import { importJournalFile } from '../../sources/file-import.ts';
import { Store } from '../../store/store.ts';
import { configOption, dataOption } from '../options.ts';
import { formatBytes, ProgressBar } from '../progress.ts';

export function importCommand(): Command {
  return new Command('import')
    .summary('import a `journalctl -o json` export (or - for stdin) into the store')
    .description(
      'Import a `journalctl -o json` export (or - for stdin) into the store.\n\n' +
        'An interrupted import of a file carries on where it stopped when run again, and a finished one ' +
        'adds nothing; --from-start imports the whole file again. Exits 2 when some lines were rejected ' +
        '(they are listed with their line numbers), 1 on failure.\n\n' +
        "Example: journalctl -o json --since '24 hours ago' > day.json && lookout import day.json",
    )
    .argument('<file>', 'file with one journald JSON object per line, or - for stdin')
    .option('--from-start', 'import the whole file even if an earlier import stored part of it', false)
    .option('--json', 'print the summary as JSON on stdout (for scripts)', false)
    .addOption(dataOption())
    .addOption(configOption())
    .action(async (file: string, options: { data: string; fromStart: boolean; json: boolean }) => {
      const store = Store.open(options.data);
      const progress = new ProgressBar();
      const pipeline = new IngestPipeline(store, { log: { warn: () => {} } });
      try {
        const summary = await importJournalFile({
          path: file,
          sink: pipeline,
          fromStart: options.fromStart,
          onProgress: (p) => progress.update(p.bytesRead, p.totalBytes, p.accepted, 'entries'),
        });
        pipeline.close();
        progress.done();
        if (summary.rejected > 0) process.exitCode = 2;
        if (options.json) {
          console.log(JSON.stringify(summary));
          return;
        }
        const rate = summary.seconds > 0 ? Math.round(summary.accepted / summary.seconds) : 0;
        if (summary.resumedAfterLine > 0) {
          console.error(
            `resumed after line ${summary.resumedAfterLine}, stored by an earlier import of this file`,
          );
        }
        console.error(
          `imported ${summary.accepted.toLocaleString('en-US')} entries from ${summary.sourceKey} ` +
            `(${formatBytes(summary.bytesRead)} in ${summary.seconds.toFixed(1)} s, ${rate.toLocaleString('en-US')} entries/s)` +
            (summary.rejected > 0 ? `; ${summary.rejected} line(s) rejected:` : ''),
        );
        for (const error of summary.errors) console.error(`  line ${error.line}: ${error.error}`);
        if (summary.rejected > summary.errors.length) {
          console.error(`  … and ${summary.rejected - summary.errors.length} more`);
        }
      } finally {
        progress.done();
        store.close();
      }
    });
}

import { Command } from 'commander';
import { applyConfigFile } from './options.ts';
import { serveCommand } from './commands/serve.ts';
import { importCommand } from './commands/import.ts';
import { agentCommand } from './commands/agent.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { mineCommand } from './commands/mine.ts';

const program = new Command('lookout')
  .description(
    'Log anomaly detection for systemd-journald.\n\n' +
      'Every option can also be set with the LOOKOUT_* environment variable named in its help, or in ' +
      'the JSON file given with --config; flags win over the environment, which wins over the file.',
  )
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ showGlobalOptions: true });

const commands = [serveCommand(), importCommand(), agentCommand(), mineCommand(), analyzeCommand()];
for (const command of commands) {
  command.hook('preAction', (thisCommand) => applyConfigFile(thisCommand));
  program.addCommand(command);
}
// `lookout --help` documents every command's options, with their LOOKOUT_* variables, in one place.
program.addHelpText('after', () =>
  commands.map((command) => `\n${'─'.repeat(72)}\nlookout ${command.helpInformation()}`).join(''),
);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`lookout: ${(error as Error).message}`);
  process.exitCode = 1;
}

import { Command } from 'commander';
import { isLoopback } from '../../app/loopback.ts';
import { configOption, dataOption, envOption, positiveInt } from '../options.ts';

export function agentCommand(): Command {
  return new Command('agent')
    .summary("serve this host's journal to a Lookout backend (for hosts without gatewayd)")
    .description(
      "Serve this host's journal to a Lookout backend, for hosts without systemd-journal-gatewayd.\n\n" +
        'Speaks the subset of the gatewayd protocol that Lookout pulls with (GET /entries, Accept: ' +
        'application/json, Range: entries=<cursor>, ?follow). Point the backend at it: ' +
        'lookout serve --source http://HOST:19531',
    )
    .addOption(
      envOption(
        '--host <address>',
        'address to listen on (not loopback: needs --token)',
        'LOOKOUT_AGENT_HOST',
      ).default('127.0.0.1'),
    )
    .addOption(
      envOption('--port <n>', 'port to listen on', 'LOOKOUT_AGENT_PORT')
        .default(19531)
        .argParser(positiveInt('--port')),
    )
    .addOption(envOption('--token <token>', 'bearer token clients must send', 'LOOKOUT_AGENT_TOKEN'))
    .addOption(
      envOption(
        '--journal-dir <dir>',
        'serve this journal directory instead of the system journal',
        'LOOKOUT_JOURNAL_DIR',
      ),
    )
    .addOption(dataOption())
    .addOption(configOption())
    .action(async (options: { host: string; port: number; token?: string; journalDir?: string }) => {
      if (!isLoopback(options.host) && !options.token) {
        throw new Error(
          `refusing to serve the journal on ${options.host} without a token: set --token (LOOKOUT_AGENT_TOKEN) and give the same one to the backend as --source-token`,
        );
      }
      // Loaded here: the HTTP server is not needed by the other commands, which then start faster and smaller.
      const { buildAgent } = await import('../../agent/server.ts');
      const agent = buildAgent({ directory: options.journalDir, token: options.token });
      const address = await agent.listen({ host: options.host, port: options.port });
      console.error(`lookout agent serving ${options.journalDir ?? 'the system journal'} on ${address}`);
      const shutdown = () => void agent.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

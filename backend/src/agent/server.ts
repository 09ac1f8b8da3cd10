import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { authHook } from '../api/auth.ts';
import { LineWindow } from './line-window.ts';
import { journalctlArgs, parseEntriesRange } from './range.ts';

export interface AgentOptions {
  /** Journal directory to serve instead of the system journal. */
  directory?: string;
  /** Required from clients when set. */
  token?: string;
  journalctl?: string;
}

/** Query parameters gatewayd gives meaning to; any other FIELD=value is a journal match. */
const FLAGS = new Set(['follow', 'discrete', 'boot']);
const FIELD_NAME = /^[A-Z0-9_]+$/;

/**
 * `lookout agent`: the subset of systemd-journal-gatewayd's protocol that Lookout pulls with,
 * served from the local journal through journalctl, for hosts that do not run gatewayd.
 */
export function buildAgent(options: AgentOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.addHook('onRequest', authHook({ token: options.token }));

  app.get(
    '/entries',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Journal entries as JSON lines (Accept: application/json), like systemd-journal-gatewayd',
        querystring: { type: 'object', additionalProperties: { type: 'string' } },
        headers: {
          type: 'object',
          properties: {
            range: { type: 'string', description: 'entries=<cursor>[[:<skip>]:<count>]' },
            accept: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const accept = request.headers.accept ?? '';
      if (!accept.includes('application/json') && !accept.includes('*/*')) {
        return reply.code(406).send({
          error: 'Not Acceptable',
          message: 'lookout agent serves entries as JSON only: send "Accept: application/json"',
        });
      }
      const range = parseEntriesRange(request.headers.range);
      if (typeof range === 'string')
        return reply.code(416).send({ error: 'Range Not Satisfiable', message: range });
      const query = request.query as Record<string, string>;
      const matches: string[] = [];
      for (const [name, value] of Object.entries(query)) {
        if (FLAGS.has(name)) continue;
        if (!FIELD_NAME.test(name)) {
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: `"${name}" is not a journal field name` });
        }
        matches.push(`${name}=${value}`);
      }
      const { args, dropLines } = journalctlArgs(range, {
        follow: 'follow' in query,
        directory: options.directory,
        matches,
        boot: 'boot' in query,
      });

      const child = spawn(options.journalctl ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const stop = () => {
        if (child.exitCode === null) child.kill('SIGTERM');
      };
      const window = new LineWindow(dropLines, range.count, stop);
      child.stdout.pipe(window);
      child.stderr.resume();
      child.on('error', (error) => window.destroy(error));
      request.raw.on('close', stop);
      return reply.header('Content-Type', 'application/json').send(window);
    },
  );

  app.get(
    '/machine',
    {
      config: { scope: 'read' },
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              hostname: { type: 'string' },
              machine_id: { type: 'string' },
              boot_id: { type: 'string' },
            },
          },
        },
      },
    },
    async () => ({
      hostname: hostname(),
      machine_id: readOrEmpty('/etc/machine-id'),
      boot_id: readOrEmpty('/proc/sys/kernel/random/boot_id').replaceAll('-', ''),
    }),
  );
  return app;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

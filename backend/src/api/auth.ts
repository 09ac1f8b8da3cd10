import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What a request may do: read data, push entries, or change state (feedback). */
export type Scope = 'read' | 'ingest' | 'write';

export interface AuthConfig {
  /** Full access. */
  token?: string | undefined;
  /** May only read (queries, Grafana's datasources). */
  readToken?: string | undefined;
  /** May only push entries. */
  ingestToken?: string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (health) are open. */
    scope?: Scope;
  }
}

const SCOPE_WORDS: Record<Scope, string> = {
  read: 'reading',
  ingest: 'pushing entries',
  write: 'changing feedback (it needs the full --token)',
};

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Bearer-token checks. Reads and feedback are open while neither --token nor --read-token is set (the
 * server then only listens on loopback); pushing entries always needs a token, because it writes. A
 * missing or unknown token is 401; a known token without the route's scope is 403.
 */
export function authHook(config: AuthConfig) {
  const full = config.token ? digest(config.token) : null;
  const read = config.readToken ? digest(config.readToken) : null;
  const ingest = config.ingestToken ? digest(config.ingestToken) : null;
  const matches = (given: Buffer, expected: Buffer | null) =>
    expected !== null && timingSafeEqual(given, expected);
  const open = full === null && read === null;

  return async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    if (scope !== 'ingest' && open) return;
    if (scope === 'ingest' && full === null && ingest === null) {
      return reply.code(401).send({
        error: 'Unauthorized',
        message:
          'pushing entries needs a token: start Lookout with --ingest-token (or --token) and send it as "Authorization: Bearer <token>"',
      });
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ error: 'Unauthorized', message: 'missing "Authorization: Bearer <token>" header' });
    }
    const given = digest(match[1]);
    if (matches(given, full)) return;
    const isRead = matches(given, read);
    const isIngest = matches(given, ingest);
    if ((scope === 'read' && isRead) || (scope === 'ingest' && isIngest)) return;
    if (!isRead && !isIngest) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer error="invalid_token"')
        .send({ error: 'Unauthorized', message: 'the token is not valid' });
    }
    return reply
      .code(403)
      .header('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`)
      .send({
        error: 'Forbidden',
        message: `the ${isRead ? 'read-only' : 'ingest'} token is not valid for ${SCOPE_WORDS[scope]}`,
      });
  };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What a request may do: read data, or push entries. */
export type Scope = 'read' | 'ingest';

export interface AuthConfig {
  /** Full access. */
  token?: string;
  /** May only push entries. */
  ingestToken?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (health) are open. */
    scope?: Scope;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Bearer-token checks. Reads are open while no token is configured (the server then only listens on
 * loopback); pushing entries always needs a token, because it writes.
 */
export function authHook(config: AuthConfig) {
  const full = config.token ? digest(config.token) : null;
  const ingest = config.ingestToken ? digest(config.ingestToken) : null;
  const matches = (given: Buffer, expected: Buffer | null) =>
    expected !== null && timingSafeEqual(given, expected);

  return async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    if (scope === 'read' && full === null) return;
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
    if (matches(given, full) || (scope === 'ingest' && matches(given, ingest))) return;
    return reply
      .code(401)
      .header('WWW-Authenticate', 'Bearer error="invalid_token"')
      .send({
        error: 'Unauthorized',
        message: `the token is not valid for ${scope === 'ingest' ? 'pushing entries' : 'reading'}`,
      });
  };
}

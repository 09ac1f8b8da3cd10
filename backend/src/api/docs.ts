import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 at /docs/json, browsable at /docs, generated from the routes' own JSON schemas. Registered
 * before the routes so that it sees them; served from the package's files, no network needed.
 */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Lookout API',
        version,
        description:
          'Log anomaly detection for systemd-journald. The Lookout JSON API (/api/v1), a Prometheus-compatible ' +
          "query API (/prometheus/api/v1, for Grafana's Prometheus datasource) and /metrics. " +
          'Send "Authorization: Bearer <token>"; see docs/api.md for tokens, scopes and limits.',
      },
      tags: [
        { name: 'lookout', description: 'Lookout JSON API' },
        { name: 'prometheus', description: 'Prometheus HTTP API, as Prometheus documents it' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

import type { FastifyPluginAsync } from 'fastify';

export interface HealthOptions {
  isReady: () => boolean;
  version: string;
}

/** Readiness: 200 while the store is open and the server is not shutting down, 503 otherwise. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Readiness of the Lookout backend',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } },
            required: ['status', 'version'],
          },
          503: {
            type: 'object',
            properties: { status: { type: 'string', enum: ['unavailable'] }, version: { type: 'string' } },
            required: ['status', 'version'],
          },
        },
      },
    },
    async (_request, reply) => {
      if (!options.isReady())
        return reply.code(503).send({ status: 'unavailable', version: options.version });
      return { status: 'ok', version: options.version };
    },
  );
};

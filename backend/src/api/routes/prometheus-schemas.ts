// JSON schemas of the Prometheus-compatible routes: their validation (everything arrives as text, as in
// Prometheus, whose own checks and messages then apply) and their OpenAPI documentation.

const text = (description: string) => ({ type: 'string', description }) as const;

const TIME = 'RFC 3339 or Unix seconds (fractions allowed)';
const matchParameter = {
  type: 'array',
  items: { type: 'string' },
  description: 'series selector, e.g. lookout_anomaly_score{host="web-1"}; repeatable',
} as const;
const limitParameter = text('at most this many items (0: all)');

const errorSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['error'] },
    errorType: { type: 'string', enum: ['bad_data', 'execution', 'timeout', 'canceled', 'internal'] },
    error: { type: 'string' },
  },
  required: ['status', 'errorType', 'error'],
} as const;

const success = (data: object) =>
  ({
    type: 'object',
    properties: { status: { type: 'string', enum: ['success'] }, data },
    required: ['status', 'data'],
  }) as const;

const queryResultSchema = success({
  type: 'object',
  description:
    'resultType matrix|vector|scalar|string and result, as Prometheus documents (values are strings)',
  properties: { resultType: { type: 'string' }, result: {} },
});

const errors = { 400: errorSchema, 422: errorSchema, 500: errorSchema, 503: errorSchema };

/** The same parameters as a query string (GET) or a form body (POST), as Prometheus accepts them. */
function routeSchema(
  summary: string,
  parameters: Record<string, object>,
  required: string[],
  ok: object,
  description?: string,
) {
  const object = { type: 'object', properties: parameters, required } as const;
  const common = { tags: ['prometheus'], summary, ...(description && { description }) };
  const response = { 200: ok, ...errors };
  return {
    get: { ...common, querystring: object, response },
    post: {
      ...common,
      consumes: ['application/x-www-form-urlencoded'],
      body: { ...object, required: [] },
      response,
    },
  };
}

export const prometheusSchemas = {
  query: routeSchema(
    'PromQL instant query',
    {
      query: text('PromQL expression'),
      time: text(`evaluation time, ${TIME}; default now`),
      timeout: text('accepted and ignored'),
      lookback_delta: text('how far back an instant selector looks; default 5m'),
    },
    [],
    queryResultSchema,
    'Grafana alert rules and "Save & test" (query=1+1) use this.',
  ),
  queryRange: routeSchema(
    'PromQL range query',
    {
      query: text('PromQL expression'),
      start: text(TIME),
      end: text(TIME),
      step: text('resolution: seconds or a duration like 1m'),
      timeout: text('accepted and ignored'),
      lookback_delta: text('how far back an instant selector looks; default 5m'),
    },
    [],
    queryResultSchema,
    'At most 11,000 points per series, and at most --max-query-days of data read.',
  ),
  labels: routeSchema(
    'Label names',
    { 'match[]': matchParameter, start: text(TIME), end: text(TIME), limit: limitParameter },
    [],
    success({ type: 'array', items: { type: 'string' } }),
  ),
  labelValues: routeSchema(
    'Values of one label',
    { 'match[]': matchParameter, start: text(TIME), end: text(TIME), limit: limitParameter },
    [],
    success({ type: 'array', items: { type: 'string' } }),
  ),
  series: routeSchema(
    'Series that match selectors',
    { 'match[]': matchParameter, start: text(TIME), end: text(TIME), limit: limitParameter },
    [],
    success({ type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } }),
  ),
  metadata: routeSchema(
    'Type, help and unit of each metric',
    { metric: text('only this metric'), limit: limitParameter },
    [],
    success({
      type: 'object',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          properties: { type: { type: 'string' }, help: { type: 'string' }, unit: { type: 'string' } },
          required: ['type', 'help', 'unit'],
        },
      },
    }),
  ),
  buildInfo: routeSchema(
    'Build information (version: the Prometheus version whose API this follows)',
    {},
    [],
    success({
      type: 'object',
      properties: Object.fromEntries(
        ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'].map((name) => [
          name,
          { type: 'string' },
        ]),
      ),
    }),
  ),
};

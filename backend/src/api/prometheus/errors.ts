/** The `errorType` values of Prometheus's HTTP API error responses. */
export type ErrorType =
  'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found';

/** An error that the HTTP layer turns into `{"status":"error","errorType":...,"error":...}`. */
export class PromQLError extends Error {
  readonly errorType: ErrorType;

  constructor(errorType: ErrorType, message: string) {
    super(message);
    this.name = 'PromQLError';
    this.errorType = errorType;
  }
}

/** The client sent something we cannot accept: a parse error, a bad parameter, an unsupported construct. */
export function badData(message: string): PromQLError {
  return new PromQLError('bad_data', message);
}

/** The query was valid but failed while running, e.g. a many-to-many match. */
export function executionError(message: string): PromQLError {
  return new PromQLError('execution', message);
}

/** Prometheus prefixes errors about one request parameter like this: `invalid parameter "query": ...`. */
export function invalidParameter(parameter: string, cause: unknown): PromQLError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return badData(`invalid parameter ${JSON.stringify(parameter)}: ${message}`);
}

/**
 * Errors about a place in the query text read like Prometheus's own: `1:5: parse error: ...`, with the
 * line and the 1-based column of `offset`.
 */
export function parseError(query: string, offset: number, message: string): PromQLError {
  let line = 1;
  let lastLineBreak = -1;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query[i] === '\n') {
      line++;
      lastLineBreak = i;
    }
  }
  return badData(`${line}:${offset - lastLineBreak}: parse error: ${message}`);
}

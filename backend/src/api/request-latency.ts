import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetricFamily } from './exposition.ts';

/** Upper bounds in seconds: from a cached label look-up to a month-long query. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Observed {
  route: string;
  code: string;
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * lookout_http_request_duration_seconds, a histogram by route pattern and status code. Requests that
 * match no route count under route="unmatched", so that scanners cannot grow the series without bound.
 */
export class RequestLatency {
  private readonly observed = new Map<string, Observed>();

  /** An onResponse hook. */
  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    this.observe(request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  };

  observe(route: string, statusCode: number, seconds: number): void {
    const code = String(statusCode);
    const key = `${route} ${code}`;
    let series = this.observed.get(key);
    if (series === undefined) {
      series = { route, code, counts: new Float64Array(BUCKETS.length), sum: 0, count: 0 };
      this.observed.set(key, series);
    }
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= (BUCKETS[i] as number)) series.counts[i] = (series.counts[i] as number) + 1;
    }
    series.sum += seconds;
    series.count++;
  }

  family(): MetricFamily {
    const samples: MetricFamily['samples'] = [];
    for (const { route, code, counts, sum, count } of this.observed.values()) {
      BUCKETS.forEach((bound, i) =>
        samples.push({
          suffix: '_bucket',
          labels: { route, code, le: String(bound) },
          value: counts[i] ?? 0,
        }),
      );
      samples.push({ suffix: '_bucket', labels: { route, code, le: '+Inf' }, value: count });
      samples.push({ suffix: '_sum', labels: { route, code }, value: sum });
      samples.push({ suffix: '_count', labels: { route, code }, value: count });
    }
    return {
      name: 'lookout_http_request_duration_seconds',
      help: 'Time from request to response of the HTTP API, by route pattern and status code.',
      type: 'histogram',
      samples,
    };
  }
}

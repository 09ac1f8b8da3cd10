import type { TemplateMiner } from '../../mining/miner.ts';
import { LruMap } from './lru.ts';
import type { LruValue } from './lru.ts';
import { WILDCARD } from '../../mining/tokens.ts';
import { ParameterMemory, TRACKED_POSITIONS } from './parameters.ts';
import type { ParameterMemorySnapshot } from './parameters.ts';

/** How much of each kind of state is kept; beyond it the least recently seen is forgotten. */
export interface HistoryLimits {
  templates: number;
  /** (host, unit) series. */
  series: number;
  hosts: number;
  /** Templates remembered per (host, unit). */
  templatesPerSeries: number;
  /** Templates remembered per host. */
  templatesPerHost: number;
}

export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = Object.freeze({
  templates: 20_000,
  series: 5_000,
  hosts: 1_000,
  templatesPerSeries: 128,
  templatesPerHost: 1_000,
});

/** Entries per hour of the day (UTC), halved once they reach a total that would make them stale. */
export class HourCounts {
  readonly counts = new Float64Array(24);
  total = 0;

  add(hour: number): void {
    this.counts[hour] = (this.counts[hour] ?? 0) + 1;
    if (++this.total < HOUR_HISTORY) return;
    for (let index = 0; index < 24; index++) this.counts[index] = (this.counts[index] ?? 0) / 2;
    this.total /= 2;
  }

  restore(counts: readonly number[], total: number): void {
    this.counts.set(counts);
    this.total = total;
  }
}

const HOUR_HISTORY = 1 << 16;

export class TemplateState implements LruValue<number, TemplateState> {
  readonly key: number;
  /** Entries of the template before the current one. */
  count: number;
  /** Hosts it was first said on: how readily it spreads to a host that never said it. */
  hosts = 0;
  readonly hours = new HourCounts();
  /** Running mean and variance of log(1 + message length). */
  lengthMean = 0;
  lengthVariance = 0;
  lengthCount = 0;
  /** The template's tokens as last seen: a token that differs in the miner's has just become variable. */
  tokens: readonly string[] = [];
  /** Indexes of the tracked tokens that hold a value. */
  variablePositions: Uint8Array = new Uint8Array(0);
  /** Every variable token, tracked or not. */
  parameterCount = 0;
  parameters: ParameterMemory | null = null;
  older: TemplateState | null = null;
  newer: TemplateState | null = null;

  constructor(id: number, count: number) {
    this.key = id;
    this.count = count;
  }

  /** Keeps a copy of the template's tokens and where its values are. */
  setTokens(tokens: readonly string[]): void {
    this.tokens = tokens.slice();
    const positions: number[] = [];
    this.parameterCount = 0;
    for (let index = 0; index < tokens.length; index++) {
      if (!(tokens[index] as string).includes(WILDCARD)) continue;
      this.parameterCount++;
      if (index < TRACKED_POSITIONS) positions.push(index);
    }
    this.variablePositions = Uint8Array.from(positions);
  }
}

/** How often a host, or a (host, unit), has said one template. */
export class TemplateCount implements LruValue<number, TemplateCount> {
  older: TemplateCount | null = null;
  newer: TemplateCount | null = null;
  constructor(
    readonly key: number,
    public count: number,
  ) {}
}

export class SeriesState implements LruValue<string, SeriesState> {
  count = 0;
  readonly hours = new HourCounts();
  /** Entries per syslog priority, 0 (emerg) to 7 (debug). */
  readonly priorities = new Float64Array(8);
  readonly templates: LruMap<number, TemplateCount>;
  older: SeriesState | null = null;
  newer: SeriesState | null = null;
  constructor(
    /** host and unit joined by a NUL: also the series' key for calibration. */
    readonly key: string,
    templatesPerSeries: number,
  ) {
    this.templates = new LruMap(templatesPerSeries);
  }
}

export class HostState implements LruValue<string, HostState> {
  count = 0;
  readonly templates: LruMap<number, TemplateCount>;
  older: HostState | null = null;
  newer: HostState | null = null;
  constructor(
    readonly key: string,
    templatesPerHost: number,
  ) {
    this.templates = new LruMap(templatesPerHost);
  }
}

export interface HistorySnapshot {
  limits: HistoryLimits;
  /** Each list from least to most recently seen. */
  templates: {
    id: number;
    count: number;
    /** Absent in snapshots from before it was kept. */
    hosts?: number;
    hours: number[];
    hourTotal: number;
    length: [mean: number, variance: number, count: number];
    tokens: string[];
    parameters: ParameterMemorySnapshot | null;
  }[];
  series: {
    key: string;
    count: number;
    hours: number[];
    hourTotal: number;
    priorities: number[];
    templates: number[][];
  }[];
  hosts: { key: string; count: number; templates: number[][] }[];
  /** Absent in snapshots from before it was kept. */
  firstUs?: number | null;
}

/** Everything the features are computed from, each part in a bounded LRU map. */
export class History {
  readonly limits: Readonly<HistoryLimits>;
  readonly templates: LruMap<number, TemplateState>;
  readonly series: LruMap<string, SeriesState>;
  readonly hosts: LruMap<string, HostState>;
  /** Entry time of the earliest entry seen: an hour of the day means nothing before a whole day has. */
  firstUs: number | null = null;

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.limits = Object.freeze({ ...DEFAULT_HISTORY_LIMITS, ...limits });
    this.templates = new LruMap(this.limits.templates);
    this.series = new LruMap(this.limits.series);
    this.hosts = new LruMap(this.limits.hosts);
  }

  /**
   * The template's state. One met for the first time starts from the miner's count, so that a scorer
   * started beside a miner with history (or one that forgot the template) does not call it new;
   * `minedSince` of the miner's entries of it (this one included) are not history yet.
   */
  template(id: number, miner: TemplateMiner, minedSince: number): TemplateState {
    const known = this.templates.get(id);
    if (known) return known;
    const state = new TemplateState(id, Math.max(0, (miner.template(id)?.count ?? 0) - minedSince));
    this.templates.add(state);
    return state;
  }

  seriesOf(key: string): SeriesState {
    const known = this.series.get(key);
    if (known) return known;
    const state = new SeriesState(key, this.limits.templatesPerSeries);
    this.series.add(state);
    return state;
  }

  host(name: string): HostState {
    const known = this.hosts.get(name);
    if (known) return known;
    const state = new HostState(name, this.limits.templatesPerHost);
    this.hosts.add(state);
    return state;
  }

  snapshot(): HistorySnapshot {
    return {
      limits: { ...this.limits },
      templates: this.templates.values().map((state) => ({
        id: state.key,
        count: state.count,
        hosts: state.hosts,
        hours: Array.from(state.hours.counts),
        hourTotal: state.hours.total,
        length: [state.lengthMean, state.lengthVariance, state.lengthCount],
        tokens: [...state.tokens],
        parameters: state.parameters?.snapshot() ?? null,
      })),
      series: this.series.values().map((state) => ({
        key: state.key,
        count: state.count,
        hours: Array.from(state.hours.counts),
        hourTotal: state.hours.total,
        priorities: Array.from(state.priorities),
        templates: state.templates.values().map((pair) => [pair.key, pair.count]),
      })),
      hosts: this.hosts.values().map((state) => ({
        key: state.key,
        count: state.count,
        templates: state.templates.values().map((template) => [template.key, template.count]),
      })),
      firstUs: this.firstUs,
    };
  }

  static restore(snapshot: HistorySnapshot): History {
    const history = new History(snapshot.limits);
    history.firstUs = snapshot.firstUs ?? null;
    for (const saved of snapshot.templates) {
      const state = new TemplateState(saved.id, saved.count);
      state.hosts = saved.hosts ?? 0;
      state.hours.restore(saved.hours, saved.hourTotal);
      [state.lengthMean, state.lengthVariance, state.lengthCount] = saved.length;
      state.setTokens(saved.tokens);
      state.parameters = saved.parameters && new ParameterMemory(saved.tokens.length, saved.parameters);
      history.templates.add(state);
    }
    for (const saved of snapshot.series) {
      const state = new SeriesState(saved.key, history.limits.templatesPerSeries);
      state.count = saved.count;
      state.hours.restore(saved.hours, saved.hourTotal);
      state.priorities.set(saved.priorities);
      for (const [id, count] of saved.templates) state.templates.add(new TemplateCount(id ?? 0, count ?? 0));
      history.series.add(state);
    }
    for (const saved of snapshot.hosts) {
      const state = new HostState(saved.key, history.limits.templatesPerHost);
      state.count = saved.count;
      for (const [id, count] of saved.templates) state.templates.add(new TemplateCount(id ?? 0, count ?? 0));
      history.hosts.add(state);
    }
    return history;
  }
}

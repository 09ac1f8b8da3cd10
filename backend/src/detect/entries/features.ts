import { duringBoot } from '../../journal/entry.ts';
import type { MinedEntry } from '../../mining/mined-entry.ts';
import type { TemplateMiner } from '../../mining/miner.ts';
import { tokenize } from '../../mining/tokens.ts';
import { seriesKey } from '../series-key.ts';
import { History, TemplateCount } from './history.ts';
import type { HistoryLimits, HourCounts, TemplateState } from './history.ts';
import { ParameterMemory } from './parameters.ts';
import { followTemplate, sameTokens, tokensAt } from './template-tokens.ts';
import { ReasonBit } from './reasons.ts';

/** The columns of a feature row, in order. */
export const FEATURES = [
  /** −log of the template's share of all entries. */
  'template-rarity',
  /** 1 / (1 + entries of the template so far): 1 the first time it is seen anywhere, ½ the second… */
  'template-novelty',
  /** −log of the template's share of its (host, unit)'s entries. */
  'series-template-rarity',
  /** The same for the template from this (host, unit). */
  'unit-novelty',
  /** The same for the template on this host. */
  'host-novelty',
  /** syslog priority, 6 (info) when missing. */
  'priority',
  /** −log of the share of the (host, unit)'s entries at this priority or a more severe one. */
  'series-priority-rarity',
  'hour-sin',
  'hour-cos',
  'weekday-sin',
  'weekday-cos',
  /** How much rarer this hour of the day is for the template than a flat day would make it. */
  'template-hour-surprise',
  /** The same for the (host, unit). */
  'series-hour-surprise',
  /** log(1 + message length). */
  'log-length',
  /** Distance of log-length from the template's mean, in its standard deviations. */
  'length-deviation',
  /** Share of the tracked parameters whose value is new at its position. */
  'parameter-new-share',
  /**
   * Σ −log(new-value rate) over the positions that took a new value: how unlikely it was, positions
   * taken as independent, that all of them would be new.
   */
  'parameter-surprise',
  'parameter-count',
] as const;

export const FEATURE_COUNT = FEATURES.length;

const F = Object.fromEntries(FEATURES.map((name, index) => [name, index])) as Record<
  (typeof FEATURES)[number],
  number
>;

const MINUTE_US = 60_000_000;
const DAY_US = 24 * 60 * MINUTE_US;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** Sine and cosine of the time of day and of the week, by the minute: a table look-up per entry. */
const HOUR_SIN = Float64Array.from({ length: DAY_MINUTES }, (_, minute) =>
  Math.sin((2 * Math.PI * minute) / DAY_MINUTES),
);
const HOUR_COS = Float64Array.from({ length: DAY_MINUTES }, (_, minute) =>
  Math.cos((2 * Math.PI * minute) / DAY_MINUTES),
);
const WEEK_SIN = Float64Array.from({ length: WEEK_MINUTES }, (_, minute) =>
  Math.sin((2 * Math.PI * minute) / WEEK_MINUTES),
);
const WEEK_COS = Float64Array.from({ length: WEEK_MINUTES }, (_, minute) =>
  Math.cos((2 * Math.PI * minute) / WEEK_MINUTES),
);
const MISSING_PRIORITY = 6;
/** err (3) and more severe. */
const HIGH_PRIORITY = 3;
/** Entries a host or a (host, unit) must have before something new to it is worth a reason. */
const SCOPE_EVIDENCE = 100;
/** A template first said on a new host in at most 5% of its entries stays where it is said. */
const RARE_SPREAD = 0.05;
/** Shares of all entries, and of the unit's, under which a known template counts as rare. */
const RARE_SHARE = 1e-4;
const RARE_SERIES_SHARE = 1e-3;
/** An hour at least ten times rarer than in a flat day is off-hours. */
const OFF_HOURS_SURPRISE = Math.log(10);
/**
 * New values are a new parameter where values usually repeat: at positions each new in at most 20% of
 * entries (a port or a scanner's address is new nearly every time, and says nothing), whose rates
 * multiply to at most 5%. So one value where 5% were new, or a known line to a new address (13%) on a
 * new port (7%) together.
 */
const REPEATING_SURPRISE = Math.log(5);
const NEW_PARAMETER_SURPRISE = Math.log(20);
/**
 * A new value is as much news at a position that repeated for a thousand entries as for a million, and
 * an hour as odd at a thousandth of a flat day's share as below it.
 */
const MAX_SURPRISE = Math.log(1000);
/**
 * −log shares stop growing at one in a million: beyond it all templates are equally rare, and the
 * features of a long-running scorer stay comparable with its older training rows.
 */
const MAX_RARITY = Math.log(1e6);
/** Standard deviations of log-length, and the entries behind them, for an unusual length. */
const UNUSUAL_LENGTH = 6;
const LENGTH_EVIDENCE = 20;
/** Log-length spread below which a template counts as fixed-length: 5% of the length. */
const LENGTH_SPREAD_FLOOR = 0.05;
const MAX_LENGTH_DEVIATION = 20;
/** `2024/06/03`, `2024-06-03`, `03/06/2024`, `12:34:56` (not an address: no dots). */
const DATE_OR_TIME = /^\d{1,4}([-/:])\d{1,2}\1\d{1,4}$/;
/** Pids of one or two digits would be found inside any number. */
const MIN_PID = 100;
/** The running length statistics weigh the last few hundred entries. */
const LENGTH_MEMORY = 256;

/** One entry's features and reasons; the row is overwritten by the next extraction. */
export interface ExtractedEntry {
  readonly row: Float64Array;
  /** Bit set of {@link ReasonBit}. */
  reasons: number;
  /** The (host, unit) series, as calibration keys it. */
  seriesKey: string;
}

/**
 * Turns each mined entry, in arrival order, into a fixed-length feature row and the reasons that apply,
 * from what was seen before it; then counts it. Memory is bounded by {@link HistoryLimits}.
 */
export class FeatureExtractor {
  readonly history: History;
  readonly #result: ExtractedEntry = { row: new Float64Array(FEATURE_COUNT), reasons: 0, seriesKey: '' };
  readonly #tokens: string[] = [];

  constructor(limits: Partial<HistoryLimits> | History = {}) {
    this.history = limits instanceof History ? limits : new History(limits);
  }

  /**
   * Call after `miner.add()` of the entry's message. When the miner has mined a whole batch before the
   * batch is scored, `minedAfter` is how many of its entries come after this one and `inBatch` how many
   * of them (this one included) have its template, so that the miner's counts can be taken back to
   * what they were at this entry.
   */
  extract(entry: MinedEntry, miner: TemplateMiner, minedAfter = 0, inBatch = 1): ExtractedEntry {
    const history = this.history;
    const row = this.#result.row;
    const template = history.template(entry.templateId, miner, inBatch);
    const key = seriesKey(entry.host, entry.unit);
    const series = history.seriesOf(key);
    const host = history.host(entry.host);
    const pair = series.templates.get(entry.templateId);
    const onHost = host.templates.get(entry.templateId);
    const saidOnHost = onHost !== undefined;
    const entriesBefore = Math.max(0, miner.stats.lines - 1 - minedAfter);
    const count = template.count;
    const pairCount = pair?.count ?? 0;
    let reasons = 0;

    row[F['template-rarity']] = rarity(count, entriesBefore);
    row[F['template-novelty']] = 1 / (1 + count);
    row[F['series-template-rarity']] = rarity(pairCount, series.count);
    row[F['unit-novelty']] = 1 / (1 + pairCount);
    row[F['host-novelty']] = 1 / (1 + (onHost?.count ?? 0));
    if (count === 0) reasons |= ReasonBit['new-template'];
    else {
      // News only for a template that stays where it is said: not a reboot's or a person's lines,
      // which turn up on one host after another.
      const spread = (template.hosts + 0.5) / (count + 1);
      if (!saidOnHost && host.count >= SCOPE_EVIDENCE && spread <= RARE_SPREAD)
        reasons |= ReasonBit['new-on-host'];
      if (saidOnHost && !pair && series.count >= SCOPE_EVIDENCE) reasons |= ReasonBit['unit-never-says-this'];
      const rareOverall = (count + 0.5) / (entriesBefore + 1) < RARE_SHARE;
      const rareInSeries = pairCount > 0 && (pairCount + 0.5) / (series.count + 1) < RARE_SERIES_SHARE;
      if (rareOverall || rareInSeries) reasons |= ReasonBit['rare-template'];
    }
    if (series.count === 0 && host.count >= SCOPE_EVIDENCE) reasons |= ReasonBit['new-unit'];

    const priority = Math.min(7, Math.max(0, entry.priority ?? MISSING_PRIORITY));
    row[F.priority] = priority;
    row[F['series-priority-rarity']] = rarity(atLeastAsSevere(series.priorities, priority), series.count);
    if (priority <= HIGH_PRIORITY) reasons |= ReasonBit['high-priority'];
    if (duringBoot(entry)) reasons |= ReasonBit['at-boot'];

    const minuteOfWeek = weekMinute(entry.timeUs);
    const hour = Math.floor(minuteOfWeek / 60) % 24;
    row[F['hour-sin']] = HOUR_SIN[minuteOfWeek % DAY_MINUTES] ?? 0;
    row[F['hour-cos']] = HOUR_COS[minuteOfWeek % DAY_MINUTES] ?? 0;
    row[F['weekday-sin']] = WEEK_SIN[minuteOfWeek] ?? 0;
    row[F['weekday-cos']] = WEEK_COS[minuteOfWeek] ?? 0;
    if (history.firstUs === null || entry.timeUs < history.firstUs) history.firstUs = entry.timeUs;
    const dayKnown = entry.timeUs - history.firstUs >= DAY_US;
    const templateHour = dayKnown ? hourSurprise(template.hours, hour) : 0;
    const seriesHour = dayKnown ? hourSurprise(series.hours, hour) : 0;
    row[F['template-hour-surprise']] = templateHour;
    row[F['series-hour-surprise']] = seriesHour;
    if (templateHour >= OFF_HOURS_SURPRISE || seriesHour >= OFF_HOURS_SURPRISE)
      reasons |= ReasonBit['off-hours'];

    const logLength = Math.log1p(entry.message.length);
    const deviation = lengthDeviation(template, logLength);
    row[F['log-length']] = logLength;
    row[F['length-deviation']] = deviation;
    if (deviation >= UNUSUAL_LENGTH && template.lengthCount >= LENGTH_EVIDENCE) {
      reasons |= ReasonBit['unusual-length'];
    }

    reasons |= this.#parameters(entry, miner, template, row);

    template.count++;
    template.hours.add(hour);
    countLength(template, logLength);
    series.count++;
    series.hours.add(hour);
    series.priorities[priority] = (series.priorities[priority] ?? 0) + 1;
    if (pair) pair.count++;
    else series.templates.add(new TemplateCount(entry.templateId, 1));
    host.count++;
    if (onHost) onHost.count++;
    else {
      host.templates.add(new TemplateCount(entry.templateId, 1));
      template.hosts++;
    }

    this.#result.reasons = reasons;
    this.#result.seriesKey = series.key;
    return this.#result;
  }

  /** Fills the parameter columns; returns the new-parameter reason bit when it applies. */
  #parameters(entry: MinedEntry, miner: TemplateMiner, template: TemplateState, row: Float64Array): number {
    row[F['parameter-new-share']] = 0;
    row[F['parameter-surprise']] = 0;
    const { maxTokens, maxTokenLength } = miner.options;
    const current = miner.templateTokens(entry.templateId);
    if (current && !sameTokens(template.tokens, current)) {
      const tokens = tokenize(entry.message, maxTokens, maxTokenLength, this.#tokens);
      if (tokens.length === current.length) followTemplate(template, current, tokens);
    }
    row[F['parameter-count']] = template.parameterCount;
    const positions = template.variablePositions;
    const values = this.#tokens;
    if (positions.length === 0) return 0;
    if (!tokensAt(entry.message, positions, maxTokens, maxTokenLength, values)) return 0;
    const memory = (template.parameters ??= new ParameterMemory(template.tokens.length));
    // A value holding the entry's own pid (`nginx: 2381#2381`, `postgres[2381]`) is new whenever the
    // process restarts, and a date or a time in the message every day: remembered, but no news.
    // The pid's text is made only for a value that is new (most are not).
    const ownPid = entry.pid !== null && entry.pid >= MIN_PID ? entry.pid : null;
    let pid: string | null = null;
    let fresh = 0;
    let surprise = 0;
    let repeatingSurprise = 0;
    for (let index = 0; index < positions.length; index++) {
      const position = positions[index] as number;
      const rate = memory.newValueRate(position);
      const value = values[index] as string;
      if (!memory.observe(position, value)) continue;
      if (ownPid !== null && value.includes((pid ??= String(ownPid)))) continue;
      if (DATE_OR_TIME.test(value)) continue;
      fresh++;
      const own = Math.min(MAX_SURPRISE, -Math.log(rate));
      surprise += own;
      if (own >= REPEATING_SURPRISE) repeatingSurprise += own;
    }
    row[F['parameter-new-share']] = fresh / positions.length;
    row[F['parameter-surprise']] = surprise;
    return repeatingSurprise >= NEW_PARAMETER_SURPRISE ? ReasonBit['new-parameter'] : 0;
  }
}

function atLeastAsSevere(priorities: Float64Array, priority: number): number {
  let count = 0;
  for (let level = 0; level <= priority; level++) count += priorities[level] ?? 0;
  return count;
}

/** Minutes since Monday 00:00 UTC (1970-01-01 was a Thursday, three days after a Monday). */
function weekMinute(timeUs: number): number {
  const minutes = Math.floor(timeUs / MINUTE_US) + 3 * DAY_MINUTES;
  return ((minutes % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
}

/** −log of a share, with half an entry of doubt. */
function rarity(count: number, total: number): number {
  return Math.min(MAX_RARITY, -Math.log((count + 0.5) / (total + 1)));
}

/**
 * How many times rarer (as a log) the hour is for these counts than in a flat day, smoothing each hour
 * with half of its neighbours (a daily job that drifts by minutes is not off-hours) and starting every
 * hour at a quarter of an entry, so that a handful of entries proves little.
 */
function hourSurprise(hours: HourCounts, hour: number): number {
  const counts = hours.counts;
  const near = (counts[hour] ?? 0) + ((counts[(hour + 23) % 24] ?? 0) + (counts[(hour + 1) % 24] ?? 0)) / 2;
  const share = (near + 0.25) / (2 * hours.total + 6);
  return Math.min(MAX_SURPRISE, Math.max(0, -Math.log(24 * share)));
}

function lengthDeviation(template: TemplateState, logLength: number): number {
  if (template.lengthCount === 0) return 0;
  const spread = Math.sqrt(template.lengthVariance + LENGTH_SPREAD_FLOOR ** 2);
  return Math.min(MAX_LENGTH_DEVIATION, Math.abs(logLength - template.lengthMean) / spread);
}

/** Exponentially weighted mean and variance, plain averages over the first {@link LENGTH_MEMORY}. */
function countLength(template: TemplateState, logLength: number): void {
  template.lengthCount = Math.min(template.lengthCount + 1, LENGTH_MEMORY);
  const weight = 1 / template.lengthCount;
  const difference = logLength - template.lengthMean;
  template.lengthMean += weight * difference;
  template.lengthVariance = (1 - weight) * (template.lengthVariance + weight * difference * difference);
}

import type { SeriesNormalisation } from './normalisation.ts';
import { countFromZ } from './normalisation.ts';
import type { CountSeries } from './series.ts';
import { MINUTES_PER_DAY } from './series.ts';

/**
 * When a chatty unit going quiet is worth a page.
 *
 * A silent minute alone says little: a unit that logs a line every few minutes is silent most minutes,
 * and a daily job is silent until it starts. So a silence counts only when
 * - the series was **talking** just before it: it logged in at least TALKING_MINUTES of the
 *   TALKING_WINDOW minutes before the silence began (a job that has not started yet was not);
 * - its **host was heard** since the silence began (a network cut or a source that lags behind
 *   silences every unit of the host at once: that is not this unit's doing), and did not boot (a
 *   reboot silences every unit until it is back);
 * and its weight, the **evidence**, is the number of entries the series usually logs in those minutes
 * (its weekly level, summed over the silent run). Under Poisson counting, a run whose usual total is λ
 * is silent by chance with probability e^−λ.
 *
 * The alerting threshold on the evidence comes from a **false-alarm budget** (alerts a day for the
 * whole fleet), two ways, whichever is stricter:
 * - counting noise: λ ≥ ln(series × minutes a day / budget), so that chance silences of an honest
 *   Poisson unit stay within budget;
 * - the history itself: the silent runs of the history the model learned from, scored the same way,
 *   may raise at most `budget × days` alerts (units that pause now and then raise the bar).
 */
export const TALKING_WINDOW = 30;
export const TALKING_MINUTES = 24;
/** How many of the history's heaviest silent runs a model keeps (enough for any sensible budget). */
const KEPT_RUNS = 256;

/** What the rate model learned about silences in its history: the input of `silenceThreshold`. */
export interface SilenceHistory {
  /** Days of history the runs come from. */
  days: number;
  /** Series they come from. */
  series: number;
  /** Evidence of the heaviest silent runs of the history that qualified, heaviest first. */
  runs: number[];
}

/** Per series: whether it logged in each of its last TALKING_WINDOW minutes, and its current silence. */
interface SeriesState {
  lastMinute: number;
  recent: Uint8Array;
  talkingMinutes: number;
  /** Evidence of the current silent run; null when the series is not silent or its silence does not qualify. */
  evidence: number | null;
  /** Whether its host logged anything since the silence began. */
  hostHeard: boolean;
}

/** Follows silences of many series minute by minute (each series' minutes in order). */
export class SilenceWatch {
  private readonly states = new Map<string, SeriesState>();

  /**
   * Feeds a closed minute of a series: its count, what the series usually logs then, whether its host
   * logged anything else that minute, and whether the host was booting. Returns the evidence of the
   * silence it is in (0 when none that qualifies).
   */
  observe(
    key: string,
    minute: number,
    count: number,
    usual: number,
    hostLogged: boolean,
    hostBooting = false,
  ): number {
    let state = this.states.get(key);
    if (state === undefined) {
      state = {
        lastMinute: minute - 1,
        recent: new Uint8Array(TALKING_WINDOW),
        talkingMinutes: 0,
        evidence: null,
        hostHeard: false,
      };
      this.states.set(key, state);
    }
    if (minute <= state.lastMinute) return 0;
    for (let skipped = state.lastMinute + 1; skipped < minute; skipped++) this.advance(state, skipped, false);
    if (count > 0 || hostBooting) state.evidence = null;
    // Talking only falls during a silence, so one that did not qualify at its start never does.
    else if (state.evidence === null && state.talkingMinutes >= TALKING_MINUTES) {
      state.evidence = usual;
      state.hostHeard = hostLogged;
    } else if (state.evidence !== null) {
      state.evidence += usual;
      state.hostHeard ||= hostLogged;
    }
    const evidence = state.evidence !== null && state.hostHeard ? state.evidence : 0;
    this.advance(state, minute, count > 0);
    return evidence;
  }

  private advance(state: SeriesState, minute: number, talked: boolean): void {
    const slot = minute % TALKING_WINDOW;
    state.talkingMinutes += Number(talked) - (state.recent[slot] ?? 0);
    state.recent[slot] = Number(talked);
    state.lastMinute = minute;
  }
}

/**
 * The silent runs of a history, as `SilenceWatch` would have seen them: the `KEPT_RUNS` heaviest
 * evidences. Series with the same `group` share a host.
 */
export function silenceHistory(
  series: readonly CountSeries[],
  normalisations: readonly SeriesNormalisation[],
): SilenceHistory {
  const hostActivity = activityByGroup(series);
  const runs: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  series.forEach((one, index) => {
    const normalisation = normalisations[index] as SeriesNormalisation;
    const activity = hostActivity.get(one.group ?? one.key) as Map<number, number>;
    const watch = new SilenceWatch();
    let run = 0;
    for (let offset = 0; offset < one.counts.length; offset++) {
      const minute = one.startMinute + offset;
      const count = one.counts[offset] ?? 0;
      const othersLogged = (activity.get(minute) ?? 0) - (count > 0 ? 1 : 0) > 0;
      const evidence = watch.observe(
        one.key,
        minute,
        count,
        countFromZ(normalisation, minute, 0),
        othersLogged,
      );
      if (evidence === 0 && run > 0) runs.push(run);
      run = evidence;
    }
    if (run > 0) runs.push(run);
    if (one.counts.length > 0) {
      first = Math.min(first, one.startMinute);
      last = Math.max(last, one.startMinute + one.counts.length - 1);
    }
  });
  runs.sort((a, b) => b - a);
  return {
    days: Number.isFinite(first) ? (last - first + 1) / MINUTES_PER_DAY : 0,
    series: series.length,
    runs: runs.slice(0, KEPT_RUNS),
  };
}

/** The evidence a silence needs to alert, for a false-alarm budget of `alertsPerDay` for the fleet. */
export function silenceThreshold(history: SilenceHistory, alertsPerDay: number): number {
  const chance = Math.log((Math.max(1, history.series) * MINUTES_PER_DAY) / alertsPerDay);
  const allowed = Math.floor(alertsPerDay * history.days);
  // Past the kept runs, the lightest kept one bounds the next from above.
  const seen =
    allowed < history.runs.length
      ? (history.runs[allowed] ?? 0)
      : history.runs.length === KEPT_RUNS
        ? (history.runs[KEPT_RUNS - 1] ?? 0)
        : 0;
  return Math.max(chance, seen);
}

/** Per group (host), how many of its series logged in each minute. */
function activityByGroup(series: readonly CountSeries[]): Map<string, Map<number, number>> {
  const byGroup = new Map<string, Map<number, number>>();
  for (const one of series) {
    const group = one.group ?? one.key;
    let activity = byGroup.get(group);
    if (activity === undefined) byGroup.set(group, (activity = new Map()));
    one.counts.forEach((count, offset) => {
      if (count > 0)
        activity.set(one.startMinute + offset, (activity.get(one.startMinute + offset) ?? 0) + 1);
    });
  }
  return byGroup;
}

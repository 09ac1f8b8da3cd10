import type { AnomalyEvent } from '../../backend/src/detect/events/minute.ts';
import type { IncidentKind, IncidentLabel } from './incidents.ts';

export interface IncidentResult {
  incident: IncidentLabel;
  detected: boolean;
  /** From the incident's start to the alert, as a streaming service raises it; null when missed. */
  timeToDetectSeconds: number | null;
}

export interface FleetEvaluation {
  incidents: IncidentResult[];
  /** Alerting events, after the history period, that match no incident. */
  falseAlarms: AnomalyEvent[];
  falseAlarmsPerDay: number;
  medianTimeToDetectSeconds: number | null;
}

export interface EvaluationWindow {
  /** Alerts before this (the history the models learn from) are not counted. */
  fromUs: number;
  toUs: number;
  /** How long after a minute the service closes it and can alert (its lateness allowance). */
  alertDelaySeconds: number;
  /** An alert this long after an incident's end still counts for it (the rate model sees it late). */
  slackSeconds?: number;
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Scores a detector's events against the labelled incidents: an incident is detected by an alerting
 * event on its host that overlaps it; every other alerting event in the window is a false alarm.
 */
export function evaluateEvents(
  events: readonly AnomalyEvent[],
  incidents: readonly IncidentLabel[],
  window: EvaluationWindow,
): FleetEvaluation {
  const slackUs = (window.slackSeconds ?? 300) * 1e6;
  const alerting = events.filter(
    (event) => event.alert && event.endUs > window.fromUs && event.startUs < window.toUs,
  );
  const matches = (event: AnomalyEvent, incident: IncidentLabel) =>
    event.host === incident.host &&
    event.startUs <= incident.endUs + slackUs &&
    event.endUs >= incident.startUs;
  const results = incidents.map((incident) => {
    const hits = alerting.filter((event) => matches(event, incident));
    if (hits.length === 0) return { incident, detected: false, timeToDetectSeconds: null };
    // The service alerts once the first anomalous minute has closed.
    const alertUs = Math.min(...hits.map((event) => event.startUs)) + 60e6 + window.alertDelaySeconds * 1e6;
    return { incident, detected: true, timeToDetectSeconds: Math.max(0, (alertUs - incident.startUs) / 1e6) };
  });
  const falseAlarms = alerting.filter((event) => !incidents.some((incident) => matches(event, incident)));
  const times = results
    .map((result) => result.timeToDetectSeconds)
    .filter((seconds): seconds is number => seconds !== null)
    .sort((a, b) => a - b);
  return {
    incidents: results,
    falseAlarms,
    falseAlarmsPerDay: falseAlarms.length / ((window.toUs - window.fromUs) / MICROS_PER_DAY),
    medianTimeToDetectSeconds:
      times.length === 0 ? null : (times[Math.floor((times.length - 1) / 2)] ?? null),
  };
}

/** One row per incident kind: detected / total and the median time to detect. */
export function byKind(
  evaluation: FleetEvaluation,
): { kind: IncidentKind; detected: number; total: number; medianSeconds: number | null }[] {
  const kinds = [...new Set(evaluation.incidents.map((result) => result.incident.kind))];
  return kinds.map((kind) => {
    const results = evaluation.incidents.filter((result) => result.incident.kind === kind);
    const times = results
      .flatMap((result) => (result.timeToDetectSeconds === null ? [] : [result.timeToDetectSeconds]))
      .sort((a, b) => a - b);
    return {
      kind,
      detected: results.filter((result) => result.detected).length,
      total: results.length,
      medianSeconds: times.length === 0 ? null : (times[Math.floor((times.length - 1) / 2)] ?? null),
    };
  });
}

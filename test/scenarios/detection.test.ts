import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { detectFleet } from './detect-fleet.ts';
import type { FleetRun } from './detect-fleet.ts';
import { byKind, evaluateEvents } from './evaluate.ts';
import type { FleetEvaluation } from './evaluate.ts';
import { PRESETS, simulateFleet } from './fleet.ts';

const MICROS_PER_DAY = 86_400_000_000;

/**
 * The small fleet after a week of history, streamed through Lookout as the service would see it, the rate
 * model trained at the end of the history: every incident is found, quickly, and the routine is not.
 */
describe('end-to-end streaming detection on the small simulated fleet', () => {
  const options = PRESETS.smallWeek;
  const historyEndUs = options.startUs + options.historyDays * MICROS_PER_DAY;
  let run: FleetRun;
  let evaluation: FleetEvaluation;
  before(async () => {
    const fleet = simulateFleet(options);
    run = await detectFleet(fleet, {
      rateModel: {
        trainAtUs: historyEndUs,
        training: { seed: 1, maxEpochs: 3, maxWindows: 512, maxSeconds: 30 },
      },
    });
    evaluation = evaluateEvents(run.events, fleet.incidents, {
      fromUs: historyEndUs,
      toUs: options.startUs + options.days * MICROS_PER_DAY,
      alertDelaySeconds: 120,
    });
  });

  test('every injected incident is found', () => {
    assert.ok(run.entries > 400_000, `${run.entries} entries`);
    assert.deepEqual(
      byKind(evaluation).filter((kind) => kind.detected < kind.total),
      [],
      'every kind detected',
    );
  });

  test('the routine noise raises at most 3 alerts a day for the fleet', () => {
    assert.ok(
      evaluation.falseAlarmsPerDay <= 3,
      `false alarms per day: ${evaluation.falseAlarmsPerDay.toFixed(1)}: ${JSON.stringify(
        evaluation.falseAlarms.map((event) => [
          event.host,
          event.unit,
          event.reasons,
          event.samples[0]?.message,
        ]),
      )}`,
    );
  });

  test('incidents are found within minutes (the disk fill when it fails)', () => {
    const median = evaluation.medianTimeToDetectSeconds ?? Infinity;
    assert.ok(median <= 300, `median time to detect ${median} s`);
    for (const result of evaluation.incidents) {
      if (result.incident.kind === 'disk-fill') continue;
      const limit = result.incident.kind === 'silence' ? 900 : 300;
      assert.ok(
        (result.timeToDetectSeconds ?? Infinity) <= limit,
        `${result.incident.kind} within ${limit / 60} minutes: ${result.timeToDetectSeconds} s`,
      );
    }
  });
});

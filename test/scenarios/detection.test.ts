import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { detectFleet } from './detect-fleet.ts';
import type { FleetRun } from './detect-fleet.ts';
import { byKind, evaluateEvents } from './evaluate.ts';
import type { FleetEvaluation } from './evaluate.ts';
import { PRESETS, simulateFleet } from './fleet.ts';

const MICROS_PER_DAY = 86_400_000_000;

/** The small fleet streamed through Lookout as the service would see it, rate model trained after the history. */
describe('end-to-end streaming detection on the small simulated fleet', () => {
  const options = PRESETS.small;
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

  test('every entry is scored and the detections are timely', () => {
    assert.ok(run.entries > 100_000);
    const detected = evaluation.incidents.filter((result) => result.detected);
    assert.ok(detected.length >= 5, `most incidents found: ${JSON.stringify(byKind(evaluation))}`);
    for (const result of detected) {
      if (result.incident.kind === 'disk-fill' || result.incident.kind === 'silence') continue;
      assert.ok((result.timeToDetectSeconds ?? Infinity) <= 300, `${result.incident.kind} within 5 minutes`);
    }
  });

  test(
    'every injected incident is found, and the routine noise raises at most 3 alerts a day',
    {
      todo:
        'issue 4: on this fleet of one day of history the outbound connection is missed (a known firewall ' +
        'line to a new address and port, where one day does not show those values to repeat), and lines and ' +
        'addresses first seen after that day (a weekly timer, a shutdown, sudo command shapes, scanners) ' +
        'alert 7 times a day; rate alerts are off until their threshold comes from a false-alarm budget. ' +
        'The full fleet (7 days of history) gets 6/7 and 2.3 a day: docs/benchmarks.md',
    },
    () => {
      assert.deepEqual(
        byKind(evaluation).filter((kind) => kind.detected < kind.total),
        [],
        'every kind detected',
      );
      assert.ok(
        evaluation.falseAlarmsPerDay <= 3,
        `false alarms per day: ${evaluation.falseAlarmsPerDay.toFixed(1)}`,
      );
    },
  );
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CountAutoencoder } from '../../src/detect/autoencoder/index.ts';
import type { CountSeries } from '../../src/detect/autoencoder/index.ts';
import { Detector } from '../../src/detect/detector.ts';
import { seriesKey } from '../../src/detect/series-key.ts';
import type { DetectorOptions } from '../../src/detect/detector.ts';
import { EntryScorer } from '../../src/detect/entries/index.ts';
import type { AnomalyEvent } from '../../src/detect/events/minute.ts';
import type { MinedEntry } from '../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../src/mining/miner.ts';
import { SeededRandom } from '../../src/detect/random.ts';
import { poisson } from './autoencoder/synthetic.ts';
import { entry } from './entries/helpers.ts';

const START_MINUTE = Math.floor(Date.UTC(2024, 0, 1) / 60_000);
const HISTORY_MINUTES = 2 * 1440;
/** Per minute: the API logs about 6 lines, the host's cron 1, the other host's API 6. */
const RATES: Record<string, number> = { 'web|api': 6, 'web|cron': 1, 'db|api': 6 };

function history(): CountSeries[] {
  const random = new SeededRandom(11);
  return Object.entries(RATES).map(([name, rate]) => {
    const [host, unit] = name.split('|') as [string, string];
    const counts = Float32Array.from({ length: HISTORY_MINUTES }, () => poisson(rate, random));
    return { key: seriesKey(host, unit), group: host, startMinute: START_MINUTE, counts };
  });
}

/**
 * Streams three hours after the history through a detector with the rate model; `quiet(name, minute)`
 * says which series log nothing in which of those minutes.
 */
function stream(
  model: CountAutoencoder,
  quiet: (name: string, minute: number) => boolean,
  options: Partial<DetectorOptions> = {},
): AnomalyEvent[] {
  const detector = new Detector(new EntryScorer(), model, options);
  const miner = new TemplateMiner();
  const random = new SeededRandom(12);
  const events: AnomalyEvent[] = [];
  for (let minute = 0; minute < 180; minute++) {
    const batch: MinedEntry[] = [];
    for (const [name, rate] of Object.entries(RATES)) {
      if (quiet(name, minute)) continue;
      const [host, unit] = name.split('|') as [string, string];
      const count = poisson(rate, random);
      for (let index = 0; index < count; index++) {
        const message = `request ${index} served in ${random.nextInt(90) + 10} ms`;
        const timeUs = ((START_MINUTE + HISTORY_MINUTES + minute) * 60 + (index * 60) / (count + 1)) * 1e6;
        const templateId = miner.add(message, 0).templateId;
        batch.push({ ...entry(message, { timeUs, host, unit }), templateId });
      }
    }
    events.push(...detector.process(batch, miner).closedEvents);
  }
  events.push(...detector.flush().closedEvents);
  return events;
}

const silences = (events: AnomalyEvent[]) => events.filter((event) => event.reasons.includes('silence'));

describe('the rate model pages for a chatty unit gone quiet', () => {
  let model: CountAutoencoder;
  before(async () => {
    model = await CountAutoencoder.train(history(), {
      seed: 5,
      maxWindows: 256,
      maxEpochs: 2,
      batchSize: 64,
    });
  });

  test('a unit that stops while its host keeps logging alerts within minutes, with reason silence', () => {
    const events = silences(
      stream(model, (name, minute) => name === 'web|api' && minute >= 60 && minute < 120),
    );
    assert.equal(events.length, 1, JSON.stringify(events));
    const [event] = events as [AnomalyEvent];
    assert.equal(event.host, 'web');
    assert.equal(event.unit, 'api');
    assert.ok(event.alert);
    const silentFromUs = (START_MINUTE + HISTORY_MINUTES + 60) * 60e6;
    assert.ok(event.startUs >= silentFromUs, 'not before the silence');
    assert.ok(event.startUs <= silentFromUs + 10 * 60e6, 'within 10 minutes of it');
    assert.ok(event.endUs <= silentFromUs + 61 * 60e6, 'over when the unit speaks again');
  });

  test('a whole host gone quiet (a reboot, a lagging source) is not its units’ silence', () => {
    const events = stream(model, (name, minute) => name.startsWith('web|') && minute >= 60 && minute < 120);
    assert.deepEqual(silences(events), []);
  });

  test('with no budget for false alarms, a silence does not page', () => {
    const quiet = (name: string, minute: number) => name === 'web|api' && minute >= 60 && minute < 120;
    assert.deepEqual(silences(stream(model, quiet, { silenceBudgetPerDay: 0 })), []);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FEATURE_COUNT } from '../../../src/detect/entries/features.ts';
import { MuteRules } from '../../../src/detect/entries/mutes.ts';
import { EntryScorer } from '../../../src/detect/entries/scorer.ts';
import type { EntryScore, EntryScorerSettings } from '../../../src/detect/entries/scorer.ts';
import type { MinedEntry } from '../../../src/mining/mined-entry.ts';
import { TemplateMiner } from '../../../src/mining/miner.ts';
import { entry, fresh, mineInBatches } from './helpers.ts';
import { normalStream } from './stream.ts';

const CRASHED = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

describe('mutes', () => {
  test('a rule names a template on one unit of one host, on a unit or host anywhere, or everywhere', () => {
    const rules = new MuteRules();
    const at = (host: string, unit: string, templateId = 7) => rules.matches({ host, unit, templateId });
    assert.equal(rules.mute({ templateId: 7, host: 'h1', unit: 'ssh.service' }), true);
    assert.equal(rules.mute({ templateId: 7, host: 'h1', unit: 'ssh.service' }), false, 'already there');
    assert.equal(at('h1', 'ssh.service'), true);
    assert.equal(at('h1', 'cron.service'), false);
    assert.equal(at('h2', 'ssh.service'), false);
    assert.equal(at('h1', 'ssh.service', 8), false);
    rules.mute({ templateId: 7, unit: 'cron.service' });
    assert.equal(at('h9', 'cron.service'), true);
    rules.mute({ templateId: 8 });
    assert.equal(at('anywhere', 'any.service', 8), true);
    assert.deepEqual(rules.list(), [
      { templateId: 7, host: 'h1', unit: 'ssh.service' },
      { templateId: 7, unit: 'cron.service' },
      { templateId: 8 },
    ]);
    assert.equal(rules.unmute({ templateId: 7, unit: 'cron.service' }), true);
    assert.equal(rules.unmute({ templateId: 7, unit: 'cron.service' }), false);
    assert.equal(at('h9', 'cron.service'), false);
  });

  test('a muted entry scores 0, says why and never alerts; unmuted, it does again', () => {
    const miner = new TemplateMiner();
    const scorer = new EntryScorer();
    const score = (message: string, host = 'h1') => {
      const mined = entry(message, { priority: 2, host }) as MinedEntry;
      mined.templateId = miner.add(mined.message, mined.timeUs).templateId;
      return scorer.score(mined, miner);
    };
    const next = miner.counters().nextId;
    scorer.mute({ templateId: next, host: 'h1' });
    scorer.mute({ templateId: next + 1 });
    const muted = score('kernel panic - not syncing: fatal exception');
    assert.deepEqual(
      { score: muted.score, alert: muted.alert, reasons: muted.reasons },
      { score: 0, alert: false, reasons: ['new-template', 'high-priority', 'muted'] },
    );
    assert.ok(muted.raw > 0, 'the raw score is still reported');
    assert.equal(score('watchdog: BUG: soft lockup on every cpu', 'h2').alert, false);
    assert.deepEqual(scorer.muteRules(), [{ templateId: next, host: 'h1' }, { templateId: next + 1 }]);
    scorer.unmute({ templateId: next + 1 });
    const unmuted = score('Machine check events logged on every cpu');
    assert.equal(unmuted.alert, true);
    assert.ok(unmuted.score > 0);
  });

  test('muted entries train the next model as ordinary ones; alerting ones are kept out', () => {
    const options: EntryScorerSettings = {
      minTrainingRows: 3_000,
      refitEveryEntries: Number.MAX_SAFE_INTEGER,
      refitEveryMinutes: Number.MAX_SAFE_INTEGER,
    };
    const stream = normalStream(0.5, 13);
    const end = stream.at(-1)?.timeUs ?? 0;
    const crashes = CRASHED.map((name, index) =>
      entry(`${name} worker crashed with a fatal error`, {
        host: 'web-1',
        unit: 'shop.service',
        priority: 2,
        timeUs: end + (index + 1) * 1e6,
      }),
    );
    const run = (mute: boolean): { scorer: EntryScorer; crashScores: EntryScore[] } => {
      const miner = new TemplateMiner();
      const scorer = new EntryScorer(options);
      mineInBatches(fresh(stream), miner, 1_000, (batch) => scorer.scoreBatch(batch, miner));
      const next = miner.counters().nextId;
      if (mute) CRASHED.forEach((_, index) => scorer.mute({ templateId: next + index }));
      const crashScores = mineInBatches(fresh(crashes), miner, 1_000, (batch) =>
        scorer.scoreBatch(batch, miner),
      );
      return { scorer, crashScores };
    };
    const control = run(false);
    const alerted = control.crashScores.filter((score) => score.alert).length;
    assert.ok(alerted > 0, 'without the mutes, brand-new fatal errors alert');
    assert.ok(control.crashScores.every((score) => score.modelVersion === 1));
    const muted = run(true);
    assert.ok(muted.crashScores.every((score) => !score.alert && score.score === 0));
    assert.ok(muted.crashScores.every((score) => score.reasons.includes('muted')));
    const rows = (scorer: EntryScorer) => scorer.trainingRows().length / FEATURE_COUNT;
    assert.equal(rows(muted.scorer), rows(control.scorer) + alerted);
  });
});

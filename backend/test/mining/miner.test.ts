import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MINER_OPTIONS, TemplateMiner } from '../../src/mining/miner.ts';
import type { MinerSnapshot } from '../../src/mining/miner.ts';
import { TRUNCATED, WILDCARD } from '../../src/mining/tokens.ts';
import { LOGHUB_DATASETS, loadLoghub } from '../../../test/support/loghub.ts';

describe('TemplateMiner.add', () => {
  it('gives a new id to a new template and the same id to a line that fits it', () => {
    const miner = new TemplateMiner();
    const first = miner.add('Failed password for root from 10.0.0.1 port 22 ssh2', 1);
    assert.deepEqual(first, {
      templateId: 1,
      template: 'Failed password for root from <*> port <*> ssh2',
      isNew: true,
      changed: false,
    });
    const second = miner.add('Failed password for alice from 10.0.0.2 port 2222 ssh2', 2);
    assert.deepEqual(second, {
      templateId: 1,
      template: 'Failed password for <*> from <*> port <*> ssh2',
      isNew: false,
      changed: true,
    });
    const third = miner.add('Failed password for bob from 10.0.0.3 port 22 ssh2', 3);
    assert.equal(third.changed, false);
    assert.equal(miner.add('Connection closed by 10.0.0.1 port 22', 4).templateId, 2);
  });

  it('keeps counts and first/last seen times per template', () => {
    const miner = new TemplateMiner();
    miner.add('disk sda1 is 91% full', 3_000);
    miner.add('disk sdb2 is 95% full', 1_000);
    miner.add('disk sdc3 is 99% full', 2_000);
    assert.deepEqual(miner.templates(), [
      { id: 1, template: 'disk <*> is <*>% full', count: 3, firstSeenUs: 1_000, lastSeenUs: 3_000 },
    ]);
    assert.deepEqual(miner.template(1), miner.templates()[0]);
    assert.equal(miner.template(2), null);
  });

  it('uses the current time when none is given', () => {
    const before = Date.now() * 1000;
    const miner = new TemplateMiner();
    miner.add('service started');
    const [template] = miner.templates();
    assert.ok(template && template.firstSeenUs >= before && template.firstSeenUs <= Date.now() * 1000);
  });

  it('never lets a template change its id as it generalises', () => {
    const miner = new TemplateMiner();
    const ids = ['alpha', 'bravo', 'charlie', 'delta'].map((user) =>
      miner.add(`session opened for user ${user} from 10.0.0.1`, 0),
    );
    assert.deepEqual(new Set(ids.map((result) => result.templateId)), new Set([1]));
    assert.equal(miner.templates().length, 1);
  });

  it('mines pathological lines into short templates, and finds them again', () => {
    const words = Array.from({ length: 100_000 }, (_, index) => `token${index % 97}`);
    const numbers = Array.from({ length: 5000 }, (_, index) => String(index * 7));
    const cases: [message: string, template: string][] = [
      [words.join(' '), `${words.slice(0, 99).join(' ')} ${TRUNCATED}`],
      [numbers.join(' '), `${Array<string>(99).fill(WILDCARD).join(' ')} ${TRUNCATED}`],
      ['x'.repeat(1_000_000), WILDCARD],
      ['', ''],
      ['   ', ''],
      ['\u0000\u0001', ''],
      ['日本語のログ メッセージ', '日本語のログ メッセージ'],
      ['💥 boom 💥', '💥 boom 💥'],
    ];
    for (const [message, template] of cases)
      assert.equal(new TemplateMiner().add(message, 0).template, template, message.slice(0, 40));

    const miner = new TemplateMiner();
    for (const [message] of cases) miner.add(message, 0);
    const again = cases.map(([message]) => miner.add(message, 0));
    assert.ok(again.every((result) => !result.isNew && !result.changed));
    // The two 100-token lines of values share one template, and the three blank lines another.
    const ids = again.map((result) => result.templateId);
    assert.equal(new Set(ids.slice(0, 2)).size, 1);
    assert.equal(new Set(ids.slice(3, 6)).size, 1);
    assert.deepEqual(miner.stats, { templates: 5, evictions: 0, lines: 2 * cases.length });
  });

  it('rejects options that make no sense', () => {
    assert.throws(() => new TemplateMiner({ similarityThreshold: 1.5 }), RangeError);
    assert.throws(() => new TemplateMiner({ maxTemplates: 0 }), RangeError);
    assert.throws(() => new TemplateMiner({ maxTokens: 2.5 }), RangeError);
    assert.deepEqual(new TemplateMiner().options, DEFAULT_MINER_OPTIONS);
  });
});

describe('template limit', () => {
  it('forgets the least recently seen template and counts evictions', () => {
    const miner = new TemplateMiner({ maxTemplates: 3 });
    const words = ['apple', 'banana', 'cherry', 'damson'];
    const ids = words.map((word) => miner.add(`${word} harvest finished`, 0).templateId);
    assert.deepEqual(ids, [1, 2, 3, 4]);
    assert.deepEqual(miner.stats, { templates: 3, evictions: 1, lines: 4 });
    assert.deepEqual(
      miner.templates().map((template) => template.id),
      [2, 3, 4],
    );
    miner.add('banana harvest finished', 0);
    miner.add('elder harvest finished', 0);
    assert.deepEqual(
      miner.templates().map((template) => template.id),
      [4, 2, 5],
    );
    const again = miner.add('apple harvest finished', 0);
    assert.equal(again.isNew, true);
    assert.equal(again.templateId, 6, 'an evicted id is never reused');
  });

  it('stays within the limit under a flood of unique lines', () => {
    const miner = new TemplateMiner({ maxTemplates: 500 });
    const word = (value: number) =>
      value.toString(26).replace(/[0-9]/g, (digit) => 'qrstuvwxyz'[Number(digit)] ?? '');
    for (let index = 0; index < 20_000; index++)
      miner.add(`${word(index)} ${word(index * 7919)} never seen`, 0);
    assert.deepEqual(miner.stats, { templates: 500, evictions: 19_500, lines: 20_000 });
  });
});

describe('snapshot and restore', () => {
  it('gives the same ids after a JSON round trip as without one', () => {
    const lines = LOGHUB_DATASETS.flatMap((name) => loadLoghub(name).lines.map((line) => line.content));
    const half = Math.floor(lines.length / 2);
    const straight = new TemplateMiner({ maxTemplates: 300 });
    const expected = lines.map((line) => straight.add(line, 0));

    const interrupted = new TemplateMiner({ maxTemplates: 300 });
    const firstHalf = lines.slice(0, half).map((line) => interrupted.add(line, 0));
    const snapshot = JSON.parse(JSON.stringify(interrupted.snapshot())) as MinerSnapshot;
    const restored = TemplateMiner.restore(snapshot);
    const secondHalf = lines.slice(half).map((line) => restored.add(line, 0));

    assert.deepEqual([...firstHalf, ...secondHalf], expected);
    assert.deepEqual(restored.stats, straight.stats);
    assert.ok(straight.stats.evictions > 0, 'the round trip also covers eviction order');
    assert.deepEqual(restored.snapshot(), straight.snapshot());
  });

  it('refuses a snapshot it cannot trust', () => {
    const miner = new TemplateMiner();
    miner.add('hello world', 0);
    const snapshot = miner.snapshot();
    assert.throws(() => TemplateMiner.restore({ ...snapshot, version: 2 } as unknown as MinerSnapshot));
    assert.throws(() => TemplateMiner.restore({ ...snapshot, recency: [] }));
    assert.throws(() => TemplateMiner.restore({ ...snapshot, nextId: 1 }));
  });
});

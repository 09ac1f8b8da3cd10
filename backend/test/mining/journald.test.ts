import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateMiner } from '../../src/mining/miner.ts';
import { JOURNALD_CASES } from './journald-fixture.ts';

/** The messages of every case, interleaved as units would interleave them in a journal. */
function interleaved(): { caseIndex: number; message: string }[] {
  const longest = Math.max(...JOURNALD_CASES.map((each) => each.messages.length));
  const lines: { caseIndex: number; message: string }[] = [];
  for (let round = 0; round < longest; round++) {
    JOURNALD_CASES.forEach((each, caseIndex) => {
      const message = each.messages[round];
      if (message !== undefined) lines.push({ caseIndex, message });
    });
  }
  return lines;
}

describe('templates of realistic journald messages', () => {
  const miner = new TemplateMiner();
  const lines = interleaved();
  for (const line of lines) miner.add(line.message, 0);
  const idsByCase = JOURNALD_CASES.map(() => new Set<number>());
  for (const line of lines) idsByCase[line.caseIndex]?.add(miner.add(line.message, 0).templateId);

  for (const [caseIndex, each] of JOURNALD_CASES.entries()) {
    it(`${each.unit}: ${each.template}`, () => {
      const ids = [...(idsByCase[caseIndex] ?? [])];
      assert.equal(ids.length, 1, `messages of one event got templates ${ids.join(', ')}`);
      assert.equal(miner.template(ids[0] as number)?.template, each.template);
    });
  }

  it('gives different events different templates', () => {
    const ids = idsByCase.map((set) => [...set][0]);
    assert.equal(new Set(ids).size, JOURNALD_CASES.length);
  });
});

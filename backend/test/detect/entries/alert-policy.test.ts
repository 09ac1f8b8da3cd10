import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayAlert, shouldAlert } from '../../../src/detect/entries/alert-policy.ts';
import { ReasonBit } from '../../../src/detect/entries/reasons.ts';
import type { Reason } from '../../../src/detect/entries/reasons.ts';

const bits = (...reasons: Reason[]) => reasons.reduce((all, reason) => all | ReasonBit[reason], 0);

test('what is merely rare, off-hours or an error that recurs may not alert; something new may', () => {
  assert.equal(mayAlert(bits()), false);
  assert.equal(mayAlert(bits('rare-template', 'off-hours', 'high-priority', 'unusual-length')), false);
  assert.equal(mayAlert(bits('new-unit')), false, "a unit's first entry is the rate model's news");
  for (const reason of ['new-template', 'new-on-host', 'unit-never-says-this', 'new-parameter'] as const) {
    assert.equal(mayAlert(bits(reason)), true, reason);
  }
});

test('in the minutes after a boot only a brand-new error may alert', () => {
  assert.equal(mayAlert(bits('at-boot', 'new-on-host', 'new-parameter')), false);
  assert.equal(mayAlert(bits('at-boot', 'new-template')), false);
  assert.equal(mayAlert(bits('at-boot', 'new-template', 'high-priority')), true);
});

test('an entry alerts when it is something new and odd for the fleet', () => {
  assert.equal(shouldAlert(bits('new-parameter'), true), true);
  assert.equal(shouldAlert(bits('new-template'), true), true);
  assert.equal(shouldAlert(bits('new-parameter'), false), false, 'new, but the model finds it ordinary');
  assert.equal(shouldAlert(bits('rare-template', 'high-priority'), true), false, 'odd, but nothing new');
});

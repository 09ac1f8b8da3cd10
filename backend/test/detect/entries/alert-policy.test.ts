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

test('an entry alerts when odd for the fleet and for its series; a never-seen template when odd for the fleet', () => {
  const known = bits('new-parameter');
  assert.equal(shouldAlert(known, true, true), true);
  assert.equal(shouldAlert(known, true, false), false, 'its busy series says odder things every day');
  assert.equal(shouldAlert(known, false, true), false, "a quiet series' mundane top");
  const brandNew = bits('new-template');
  assert.equal(shouldAlert(brandNew, true, false), true);
  assert.equal(shouldAlert(brandNew, false, true), false);
  assert.equal(shouldAlert(bits('rare-template'), true, true), false);
});

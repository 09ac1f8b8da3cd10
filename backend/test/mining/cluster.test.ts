import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Cluster,
  INCOMPATIBLE,
  matchesPattern,
  shapeOf,
  similarity,
  widen,
} from '../../src/mining/cluster.ts';
import { Masker } from '../../src/mining/masking.ts';
import { TokenKind } from '../../src/mining/tokens.ts';

function masked(message: string): { tokens: string[]; kinds: Uint8Array } {
  const kinds = new Uint8Array(100);
  const tokens = new Masker().maskLine(message, 100, 128, [], kinds);
  return { tokens, kinds: kinds.slice(0, tokens.length) };
}

function clusterOf(message: string): Cluster {
  const { tokens, kinds } = masked(message);
  return new Cluster(1, tokens, kinds, [tokens.length], 1, 0, 0);
}

function score(template: Cluster, message: string, threshold = 0): number {
  const { tokens, kinds } = masked(message);
  return similarity(template, tokens, kinds, threshold);
}

describe('similarity', () => {
  it('is the share of positions that fit', () => {
    const template = clusterOf('Invalid user admin from 10.0.0.1');
    assert.equal(score(template, 'Invalid user admin from 10.0.0.2'), 1);
    assert.equal(score(template, 'Invalid user oracle from 10.0.0.2'), 0.8);
    assert.equal(score(template, 'Invalid host oracle from 10.0.0.2'), 0.6);
  });

  it('lets values fit values: masked ones and words with digits', () => {
    assert.equal(score(clusterOf('Removed session c1.'), 'Removed session c2.'), 1);
    assert.equal(score(clusterOf('link eth0 up'), 'link 42 up'), 1);
  });

  it('lets a variable position fit anything', () => {
    const template = clusterOf('Invalid user admin from 10.0.0.1');
    template.generalise(masked('Invalid user oracle from 10.0.0.1').tokens);
    assert.equal(score(template, 'Invalid user ubnt from 10.0.0.9'), 1);
  });

  it('never fits a masked value against a plain word', () => {
    assert.equal(
      score(
        clusterOf('Fan speeds ( 3552 3534 3375 4245 3515 3479 )'),
        'Fan speeds ( 3552 3534 3375 **** 3515 3479 )',
      ),
      INCOMPATIBLE,
    );
    assert.equal(score(clusterOf('pid unknown exited'), 'pid 42 exited'), INCOMPATIBLE);
  });

  it('never fits tokens that lay out the text around a value differently', () => {
    const template = clusterOf('session opened for user cyrus by (uid=0)');
    assert.equal(score(template, 'session opened for user root by LOGIN(uid=0)'), INCOMPATIBLE);
    const users = clusterOf('session opened for user alice(uid=1000) by (uid=0)');
    assert.ok(score(users, 'session opened for user www-data(uid=33) by (uid=0)') > 0.8);
  });

  it('stops early, returning INCOMPATIBLE, once the threshold is out of reach', () => {
    assert.equal(score(clusterOf('a b c d e'), 'a x y d e', 0.78), INCOMPATIBLE);
    assert.equal(score(clusterOf('a b c d e'), 'a x c d e', 0.78), 0.8);
  });

  it('is 1 for two empty lines', () => {
    assert.equal(
      similarity(new Cluster(1, [], new Uint8Array(0), [0], 1, 0, 0), [], new Uint8Array(0), 0.78),
      1,
    );
  });
});

describe('Cluster.generalise', () => {
  it('turns differing positions into patterns that keep the shared punctuation', () => {
    const template = clusterOf('x.service: Main process exited, code=exited, status=1/FAILURE');
    assert.equal(
      template.generalise(masked('y.service: Main process exited, code=killed, status=9/KILL').tokens),
      true,
    );
    assert.equal(template.template, '<*>: Main process exited, code=<*>, status=<*>');
    assert.equal(template.kinds[4], TokenKind.variable);
  });

  it('reports no change when the line already fits', () => {
    const template = clusterOf('user alice logged in');
    template.generalise(masked('user bob logged in').tokens);
    assert.equal(template.generalise(masked('user carol logged in').tokens), false);
  });

  it('widens a pattern that a new token does not match', () => {
    const template = clusterOf('killed (java) now');
    template.generalise(masked('killed (postgres) now').tokens);
    assert.equal(template.template, 'killed (<*>) now');
    assert.equal(template.generalise(masked('killed [x] now').tokens), true);
    assert.equal(template.template, 'killed <*> now');
  });
});

describe('widen', () => {
  it('keeps a common prefix and suffix that end at punctuation', () => {
    assert.equal(widen('code=exited,', 'code=killed,'), 'code=<*>,');
    assert.equal(widen('(java)', '(postgres)'), '(<*>)');
    assert.equal(widen('alice.', 'admin.'), '<*>.');
    assert.equal(widen('eno1:', 'enp3s0:'), '<*>:');
    assert.equal(widen('alice', 'admin'), '<*>');
  });

  it('never splits a wildcard and never doubles one', () => {
    assert.equal(widen('<*>', '<*>,'), '<*>');
    assert.equal(widen('<*>]', '<*>)'), '<*>');
    assert.equal(widen('[<*>]', '[<*>:<*>]'), '[<*>]');
  });
});

describe('matchesPattern', () => {
  it('matches each wildcard against any text, including none', () => {
    assert.ok(matchesPattern('code=<*>,', 'code=dumped,'));
    assert.ok(matchesPattern('code=<*>,', 'code=,'));
    assert.ok(matchesPattern('<*>:<*>', 'a:b:c'));
    assert.ok(!matchesPattern('code=<*>,', 'code=dumped'));
    assert.ok(!matchesPattern('(<*>)', '[x]'));
  });
});

describe('shapeOf', () => {
  it('reduces runs of name characters to one letter', () => {
    assert.equal(shapeOf('alice(uid=<*>)'), 'a(a=<*>)');
    assert.equal(shapeOf('www-data(uid=<*>)'), 'a(a=<*>)');
    assert.equal(shapeOf('(uid=<*>)'), '(a=<*>)');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { Expr } from '../../src/api/prometheus/ast.ts';
import { PromQLError } from '../../src/api/prometheus/errors.ts';
import { parsePromQL, parseSeriesSelector } from '../../src/api/prometheus/parse.ts';

/** The AST without the matchers' functions, for deepEqual. */
function plain(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr));
}

function parseFails(query: string, message: string): void {
  assert.throws(
    () => parsePromQL(query),
    (error: unknown) => {
      assert.ok(error instanceof PromQLError, `expected a PromQLError for ${query}`);
      assert.equal(error.errorType, 'bad_data');
      assert.equal(error.message, message);
      return true;
    },
  );
}

const NO_MATCHING = { on: false, labels: [] };

describe('parsePromQL: supported constructs', () => {
  test('number literals, including what Grafana sends for "Save & test"', () => {
    assert.deepEqual(plain(parsePromQL('1+1')), {
      kind: 'binary',
      op: '+',
      lhs: { kind: 'number', value: 1 },
      rhs: { kind: 'number', value: 1 },
      returnBool: false,
      matching: NO_MATCHING,
    });
    const value = (query: string) => {
      const expr = parsePromQL(query);
      assert.equal(expr.kind, 'number');
      return expr.value;
    };
    assert.equal(value('1.5e3'), 1500);
    assert.equal(value('0x1F'), 31);
    assert.equal(value('010'), 8, 'Go reads a leading 0 as octal');
    assert.equal(value('1_000'), 1000);
    assert.equal(value('-Inf'), -Infinity);
    assert.ok(Number.isNaN(value('NaN')));
    assert.equal(value('5m'), 300, 'a duration is a number of seconds');
  });

  test('string literals in all three quotings, with Go escapes', () => {
    assert.deepEqual(plain(parsePromQL('"a\\tb\\u00e9\\x41"')), { kind: 'string', value: 'a\tbéA' });
    assert.deepEqual(plain(parsePromQL("'it\\'s'")), { kind: 'string', value: "it's" });
    assert.deepEqual(plain(parsePromQL('`raw\\n`')), { kind: 'string', value: 'raw\\n' });
  });

  test('vector selectors with all four matchers, __name__ and quoted names', () => {
    assert.deepEqual(
      plain(parsePromQL('lookout_anomaly_score{host="a",unit!="b",job=~"x|y",env!~"dev.*",}')),
      {
        kind: 'vectorSelector',
        name: 'lookout_anomaly_score',
        matchers: [
          { type: '=', name: '__name__', value: 'lookout_anomaly_score' },
          { type: '=', name: 'host', value: 'a' },
          { type: '!=', name: 'unit', value: 'b' },
          { type: '=~', name: 'job', value: 'x|y' },
          { type: '!~', name: 'env', value: 'dev.*' },
        ],
        offsetMs: 0,
      },
    );
    const byName = parsePromQL('{__name__=~"lookout_.*"}');
    assert.equal(byName.kind, 'vectorSelector');
    assert.deepEqual(plain(byName), {
      kind: 'vectorSelector',
      matchers: [{ type: '=~', name: '__name__', value: 'lookout_.*' }],
      offsetMs: 0,
    });
    const quoted = parsePromQL('{"lookout.score", "host.name"="a"}');
    assert.equal(quoted.kind, 'vectorSelector');
    assert.equal(quoted.name, 'lookout.score');
    assert.deepEqual(
      quoted.matchers.map((m) => [m.name, m.type, m.value]),
      [
        ['__name__', '=', 'lookout.score'],
        ['host.name', '=', 'a'],
      ],
    );
  });

  test('regex matchers are fully anchored and let . match newlines', () => {
    const expr = parsePromQL('x{a=~"ab|c", b=~"(?i)Foo", c!~"a.b"}');
    assert.equal(expr.kind, 'vectorSelector');
    const [, anchored, caseless, negated] = expr.matchers;
    assert.ok(anchored && caseless && negated);
    assert.ok(anchored.matches('ab') && anchored.matches('c'));
    assert.ok(!anchored.matches('abc') && !anchored.matches('xab'));
    assert.ok(caseless.matches('FOO') && caseless.matches('foo'));
    assert.ok(!negated.matches('a\nb') && negated.matches('ab'));
  });

  test('range selectors and offsets', () => {
    assert.deepEqual(plain(parsePromQL('x[1h30m] offset -5m')), {
      kind: 'matrixSelector',
      selector: {
        kind: 'vectorSelector',
        name: 'x',
        matchers: [{ type: '=', name: '__name__', value: 'x' }],
        offsetMs: -300_000,
      },
      rangeMs: 5_400_000,
    });
    const seconds = parsePromQL('x[90]');
    assert.equal(seconds.kind, 'matrixSelector');
    assert.equal(seconds.rangeMs, 90_000);
    const offset = parsePromQL('x offset 1d');
    assert.equal(offset.kind, 'vectorSelector');
    assert.equal(offset.offsetMs, 86_400_000);
  });

  test('every supported range function', () => {
    for (const func of [
      'rate',
      'increase',
      'avg_over_time',
      'max_over_time',
      'min_over_time',
      'sum_over_time',
      'count_over_time',
    ]) {
      const expr = parsePromQL(`${func}(x[5m])`);
      assert.equal(expr.kind, 'call');
      assert.equal(expr.func, func);
      assert.equal(expr.arg.rangeMs, 300_000);
    }
  });

  test('aggregations with by/without before or after the arguments', () => {
    const before = plain(parsePromQL('sum by (host, unit) (x)'));
    const after = plain(parsePromQL('sum(x) by (host, unit)'));
    assert.deepEqual(before, after);
    assert.deepEqual(before, {
      kind: 'aggregation',
      op: 'sum',
      expr: {
        kind: 'vectorSelector',
        name: 'x',
        matchers: [{ type: '=', name: '__name__', value: 'x' }],
        offsetMs: 0,
      },
      grouping: ['host', 'unit'],
      without: false,
    });
    for (const op of ['avg', 'max', 'min', 'count']) {
      const expr = parsePromQL(`${op} without (unit) (x)`);
      assert.equal(expr.kind, 'aggregation');
      assert.equal(expr.op, op);
      assert.equal(expr.without, true);
      assert.deepEqual(expr.grouping, ['unit']);
    }
    const top = parsePromQL('topk(5, x) by (host)');
    assert.equal(top.kind, 'aggregation');
    assert.equal(top.op, 'topk');
    assert.deepEqual(plain(top.param as Expr), { kind: 'number', value: 5 });
    const bottom = parsePromQL('BOTTOMK(1, x)');
    assert.equal(bottom.kind, 'aggregation');
    assert.equal(bottom.op, 'bottomk', 'aggregation keywords are case-insensitive');
  });

  test('binary operators, bool, on/ignoring, precedence', () => {
    const comparison = parsePromQL('x > bool on (host) y');
    assert.equal(comparison.kind, 'binary');
    assert.equal(comparison.op, '>');
    assert.equal(comparison.returnBool, true);
    assert.deepEqual(comparison.matching, { on: true, labels: ['host'] });
    const ignoring = parsePromQL('x / ignoring (unit) y');
    assert.equal(ignoring.kind, 'binary');
    assert.deepEqual(ignoring.matching, { on: false, labels: ['unit'] });
    for (const op of ['+', '-', '*', '/', '%', '^', '==', '!=', '<', '<=', '>=']) {
      const expr = parsePromQL(`x ${op} 1`);
      assert.equal(expr.kind, 'binary');
      assert.equal(expr.op, op);
    }
    const precedence = parsePromQL('1 + 2 * 3 ^ 2');
    assert.equal(precedence.kind, 'binary');
    assert.equal(precedence.op, '+');
  });

  test('unary minus and parentheses; -2^2 is -(2^2) as in Prometheus', () => {
    assert.deepEqual(plain(parsePromQL('-(x)')), {
      kind: 'unary',
      op: '-',
      expr: {
        kind: 'paren',
        expr: {
          kind: 'vectorSelector',
          name: 'x',
          matchers: [{ type: '=', name: '__name__', value: 'x' }],
          offsetMs: 0,
        },
      },
    });
    const power = parsePromQL('-2^2');
    assert.equal(power.kind, 'unary');
    assert.equal(power.op, '-');
  });

  test('comments are ignored', () => {
    assert.deepEqual(plain(parsePromQL('1 # the answer\n')), { kind: 'number', value: 1 });
  });
});

describe('parsePromQL: errors', () => {
  // Each checked against promtool 2.42 (Debian's prometheus package): same position and message.
  test('syntax errors point at the problem like Prometheus', () => {
    parseFails('a b', '1:3: parse error: unexpected identifier "b"');
    parseFails('foo{a="b"', '1:10: parse error: unexpected end of input inside braces');
    parseFails('nosuchfn(x)', '1:1: parse error: unknown function with name "nosuchfn"');
    parseFails('1 +', '1:4: parse error: unexpected end of input');
    parseFails('sum(x)\n  + }', "2:5: parse error: unexpected character: '}'");
    parseFails('', 'unknown position: parse error: no expression found in input');
    parseFails('"open', '1:1: parse error: unterminated quoted string');
    parseFails('"\\U00110000"', '1:1: parse error: invalid escape sequence in "\\U00110000"');
    parseFails('"\\q"', '1:1: parse error: unknown escape sequence "\\\\q" in "\\q"');
  });

  test('type errors with Prometheus messages', () => {
    parseFails('foo[0s]', '1:5: parse error: duration must be greater than 0');
    parseFails('1 > 2', '1:3: parse error: comparisons between scalars must use BOOL modifier');
    parseFails(
      'rate(foo)',
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    );
    parseFails(
      'sum(foo[5m])',
      '1:5: parse error: expected type instant vector in aggregation expression, got range vector',
    );
    parseFails(
      'topk(foo)',
      '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
    );
    parseFails(
      'topk(x, y)',
      '1:6: parse error: expected type scalar in aggregation parameter, got instant vector',
    );
    parseFails('sum()', '1:1: parse error: no arguments for aggregate expression provided');
    parseFails('rate(x[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2');
    parseFails('{a=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher');
    parseFails('(a + b)[5m]', '1:8: parse error: ranges only allowed for vector selectors');
    parseFails('x offset 1m [5m]', '1:13: parse error: no offset modifiers allowed before range');
    parseFails(
      'sum(x) offset 1m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
    parseFails(
      'x[5m] + 1',
      '1:1: parse error: binary expression must contain only scalar and instant vector types',
    );
    parseFails('x + bool y', '1:3: parse error: bool modifier can only be used on comparison operators');
    parseFails('1 + on (a) x', '1:1: parse error: vector matching only allowed between instant vectors');
    parseFails('foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"');
    parseFails(
      '-x[5m]',
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    );
    assert.throws(() => parsePromQL('x{a=~"("}'), /: 1:3: parse error: error parsing regexp: /);
  });

  test('what the engine does not evaluate is rejected by name', () => {
    const unsupported = (query: string, offset: string, what: string) =>
      parseFails(query, `${offset}: parse error: ${what} not supported by Lookout's PromQL engine`);
    unsupported('histogram_quantile(0.9, x)', '1:1', 'the function "histogram_quantile" is');
    unsupported('abs(x)', '1:1', 'the function "abs" is');
    unsupported('x @ 1700000000', '1:3', 'the @ modifier is');
    unsupported('rate(x[5m:1m])', '1:8', 'subqueries are');
    unsupported('x + on (a) group_left (b) y', '1:12', 'group_left is');
    unsupported('x and y', '1:3', 'the set operator "and" is');
    unsupported('x or y', '1:3', 'the set operator "or" is');
    unsupported('quantile(0.9, x)', '1:1', 'the aggregation "quantile" is');
    unsupported('count_values("v", x)', '1:1', 'the aggregation "count_values" is');
    unsupported('x[5m + 1m]', '1:3', 'duration expressions are');
  });
});

describe('parseSeriesSelector', () => {
  test('accepts a series selector and returns its matchers', () => {
    const matchers = parseSeriesSelector('up{job="node"}');
    assert.deepEqual(
      matchers.map((m) => [m.name, m.type, m.value]),
      [
        ['__name__', '=', 'up'],
        ['job', '=', 'node'],
      ],
    );
  });

  test('rejects anything else', () => {
    assert.throws(() => parseSeriesSelector('sum(up)'), /expected a series selector/);
    assert.throws(() => parseSeriesSelector('up offset 5m'), /expected a series selector/);
  });
});

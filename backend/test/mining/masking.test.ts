import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK_RULES, Masker, applyRule, maskToken } from '../../src/mining/masking.ts';
import type { MaskRule } from '../../src/mining/masking.ts';
import { TRUNCATED, TokenKind, WILDCARD, tokenize } from '../../src/mining/tokens.ts';
import { generateEntries } from '../../../test/support/journal-corpus.ts';
import { LOGHUB_DATASETS, loadLoghub } from '../../../test/support/loghub.ts';

function named(name: string): MaskRule {
  const found = MASK_RULES.find((each) => each.name === name);
  assert.ok(found, `no mask rule named ${name}`);
  return found;
}

/** Each rule on its own: what it masks, and what it must leave alone. */
const RULE_CASES: Record<string, { masks: [string, string][]; keeps: string[] }> = {
  keyValue: {
    masks: [
      ['uid=0', 'uid=<*>'],
      ['status=1/FAILURE', 'status=<*>'],
      ['(uid=1000)', '(uid=<*>)'],
      ['session=c4', 'session=<*>'],
      ['name="snap.firefox"', 'name=<*>'],
      ['ip=10.0.0.151', 'ip=<*>'],
    ],
    keeps: ['level=error', 'code=killed,', 'ruser=', 'root=LABEL=/', 'a==b'],
  },
  url: {
    masks: [
      ['http://127.0.0.1:8080/api/', '<*>'],
      ['upstream="https://example.com/x?y=1",', 'upstream="<*>",'],
    ],
    keeps: ['http:', 'a/b', 'Rx/Tx'],
  },
  email: {
    masks: [
      ['alice@example.com', '<*>'],
      ['<bob.smith+logs@mail.example.org>', '<<*>>'],
    ],
    keeps: ['@home', 'a@b', 'user@host'],
  },
  uuid: {
    masks: [
      ['3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', '<*>'],
      ['req-38101a0b-2096-447d-96ea-a692162415ae', 'req-<*>'],
    ],
    keeps: ['3f2b1c4d-5e6f-4a7b-8c9d', 'well-known-name'],
  },
  mac: {
    masks: [
      ['52:54:00:12:34:56', '<*>'],
      ['MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00', 'MAC=<*>'],
      ['FF:F2:9F:16:E2:23:00:0D:60:E9:1D:DC', '<*>'],
    ],
    keeps: ['12:34:56', 'aa:bb:cc'],
  },
  pci: {
    masks: [
      ['0000:00:1f.6', '<*>'],
      ['0000:03:00.0', '<*>'],
    ],
    keeps: ['10:15:00.1', '00:1f.6'],
  },
  ipv6: {
    masks: [
      ['2001:db8::17', '<*>'],
      ['fe80::1%eth0', '<*>'],
      ['::1', '<*>'],
      ['[2001:db8::1]:8443', '<*>'],
      ['2001:0db8:0000:0000:0000:ff00:0042:8329', '<*>'],
    ],
    keeps: ['std::string', '10:15:00', 'a::b::c::d', '::'],
  },
  hostname: {
    masks: [
      ['example.com', '<*>'],
      ['(24-54-76-216.bflony.adelphia.net)', '(<*>)'],
      ['rhost=ns.marryaldkfaczcz.com', 'rhost=<*>'],
      ['62.99.164.82.sh.interxion.inode.at', '<*>'],
      ['db.internal.', '<*>.'],
    ],
    keeps: [
      'setup.py',
      'org.apache.hadoop.mapreduce.v2.app.MRAppMaster',
      'nginx.service',
      'mice.c',
      'v1.2.3',
    ],
  },
  ipv4: {
    masks: [
      ['10.0.0.5', '<*>'],
      ['10.0.0.5:8080', '<*>'],
      ['[173.234.31.186]', '[<*>]'],
      ['/10.10.34.11:45307', '/<*>'],
      ['10.0.0.0/8,', '<*>,'],
      ['from 1.2.3.4.', 'from <*>.'],
    ],
    keeps: ['1.2.3', '1.2.3.4.5', 'v1.2.3.4'],
  },
  datetime: {
    masks: [
      ['2024-05-01', '<*>'],
      ['2024-05-01T10:15:00.123Z', '<*>'],
      ['2024-05-01T10:15:00+02:00', '<*>'],
      ['10:15:00', '<*>'],
      ['10:15:00.123456', '<*>'],
      ['2024/05/01', '<*>'],
      ['[01/May/2024:10:15:00', '[<*>'],
    ],
    keeps: ['10:15', 'x10:15:00'],
  },
  path: {
    masks: [
      ['/usr/local/bin/backup.sh', '<*>'],
      ['(/home/alice/bin/sync)', '(<*>)'],
      ['~/.config/app.toml', '<*>'],
      ['/run/dbus/system_bus_socket', '<*>'],
      ['./build/out.log:', '<*>'],
      ['/', '<*>'],
    ],
    keeps: ['Rx/Tx', 'TCP/IP', 'and/or', 'PS/2'],
  },
  unit: {
    masks: [
      ['nginx.service:', '<*>:'],
      ['user@1000.service', '<*>'],
      ['session-42.scope', '<*>'],
      ['dev-disk-by\\x2duuid-1234.device', '<*>'],
      ['systemd-tmpfiles-clean.timer.', '<*>.'],
    ],
    keeps: ['service', 'the.services'],
  },
  quoted: {
    masks: [
      ["'exit-code'.", "'<*>'."],
      ['"app"', '"<*>"'],
    ],
    keeps: ["don't", '"two', 'words"', '""'],
  },
  numberedName: {
    masks: [
      ['blk_-4273564823712348', '<*>'],
      ['rdd_2_2', '<*>'],
      ['job_1445144423722_0020', '<*>'],
      ['attempt_1445144423722_0020_m_000003_0', '<*>'],
      ['broadcast_9_piece0,', '<*>,'],
    ],
    keeps: ['oom_score_adj', 'ip6_tables', 'nf_conntrack_ipv4', 'sync_power_state'],
  },
  duration: {
    masks: [
      ['45ms', '<*>'],
      ['1.203s', '<*>'],
      ['5m0s', '<*>'],
      ['1h2m3s', '<*>'],
      ['(12µs)', '(<*>)'],
    ],
    keeps: ['ms', '5mb', 'x45ms'],
  },
  size: {
    masks: [
      ['512MB', '<*>'],
      ['1.5GiB', '<*>'],
      ['8123456kB,', '<*>,'],
      ['4096k', '<*>'],
      ['64bytes', '<*>'],
    ],
    keeps: ['KB', 'sha256'],
  },
  number: {
    masks: [
      ['42', '<*>'],
      ['-900', '<*>'],
      ['(7.5%);', '(<*>%);'],
      ['node-7', 'node-<*>'],
      ['core.2275', 'core.<*>'],
      ['[1234]', '[<*>]'],
      ['1234#1234:', '<*>#<*>:'],
      ['2.6.5-1.358', '<*>-<*>'],
    ],
    keeps: ['eth0', 'sha256', 'ssh2', 'x86', 'ED25519'],
  },
  hex: {
    masks: [
      ['0x02f0)', '<*>)'],
      ['0xDEADBEEF', '<*>'],
      ['113d3a99c3da401fbd62cc2caa5b96d2', '<*>'],
      ['00000000000a0000', '<*>'],
    ],
    keeps: ['deadbeef', 'a1b2c3', 'cafe12'],
  },
};

describe('mask rules, one by one', () => {
  it('every rule has cases, and every case names a rule', () => {
    assert.deepEqual(Object.keys(RULE_CASES).sort(), MASK_RULES.map((each) => each.name).sort());
  });
  for (const [name, { masks, keeps }] of Object.entries(RULE_CASES)) {
    it(name, () => {
      const each = named(name);
      for (const [token, expected] of masks)
        assert.equal(applyRule(each, token), expected, `${name} on ${token}`);
      for (const token of keeps) assert.equal(applyRule(each, token), token, `${name} must keep ${token}`);
    });
  }
});

describe('maskToken (all rules in order)', () => {
  it('leaves plain words untouched', () => {
    for (const word of [
      'Accepted',
      'publickey',
      'for',
      '[preauth]',
      'Deactivated',
      'successfully.',
      'ünïcødé',
    ]) {
      assert.equal(maskToken(word), word);
    }
  });

  it('masks values inside the text that names them', () => {
    assert.equal(maskToken('rhost=218.188.2.4'), 'rhost=<*>');
    assert.equal(maskToken('total-vm:8123456kB,'), 'total-vm:<*>,');
    assert.equal(maskToken('(uid=0)'), '(uid=<*>)');
    assert.equal(maskToken('[instance:'), '[instance:');
    assert.equal(maskToken('b9000564-fe1a-409b-b8cc-1e88b294cd1d]'), '<*>]');
    assert.equal(maskToken('HTTP/1.1"'), 'HTTP/<*>"');
  });

  it('skips only rules that would not change the token, on every Loghub and simulated journald token', () => {
    const messages = [...loghubMessages()];
    for (const entry of generateEntries({ count: 20_000, seed: 7, hosts: 40 }))
      messages.push(entry.MESSAGE ?? '');
    const tokens = new Set(messages.flatMap((message) => tokenize(message, 100, 128)));
    // Every rule in order on the whole token, without the needs, prefilters or shortcuts that skip rules.
    const everyRule = (token: string) => MASK_RULES.reduce((masked, each) => applyRule(each, masked), token);
    let masked = 0;
    for (const token of tokens) {
      const expected = everyRule(token);
      assert.equal(maskToken(token), expected, token);
      if (expected !== token) masked++;
    }
    assert.ok(tokens.size > 40_000 && masked > 20_000, `${masked} of ${tokens.size} tokens masked`);
  });

  // How fast these are masked (catastrophic backtracking) is measured by `npm run bench -- mining`.
  it('masks adversarial tokens by the same rules as any other', () => {
    const cases: [token: string, masked: string][] = [
      ['1.'.repeat(64), '<*>.'],
      ['a:'.repeat(64), 'a:'.repeat(64)],
      ['_1'.repeat(64), '_<*>'.repeat(64)],
      ['a-'.repeat(64) + '!', 'a-'.repeat(64) + '!'],
      ['0'.repeat(127) + 'x', '0'.repeat(127) + 'x'],
      ['a.'.repeat(63) + 'com', '<*>'],
      ['='.repeat(128), '='.repeat(128)],
      ['f'.repeat(128), 'f'.repeat(128)],
      ["'".repeat(128), "'".repeat(128)],
      ['/a'.repeat(64), '<*>'],
      [':'.repeat(128), ':'.repeat(128)],
    ];
    for (const [token, masked] of cases) assert.equal(maskToken(token), masked, token);
  });
});

function* loghubMessages(): Generator<string> {
  for (const name of LOGHUB_DATASETS) for (const line of loadLoghub(name).lines) yield line.content;
}

describe('Masker', () => {
  /** A line through a masker: its tokens and their kinds. */
  function maskLine(masker: Masker, message: string, maxTokens = 100): [string[], number[]] {
    const kinds = new Uint8Array(maxTokens);
    const tokens = masker.maskLine(message, maxTokens, 128, [], kinds);
    return [tokens, Array.from(kinds.subarray(0, tokens.length))];
  }

  it('splits and masks a line, and records the kind of every token', () => {
    const [tokens, kinds] = maskLine(new Masker(), ' Removed  session c1 42.\tport 22 <*> ');
    assert.deepEqual(tokens, ['Removed', 'session', 'c1', '<*>.', 'port', '<*>', '<*>']);
    assert.deepEqual(kinds, [
      TokenKind.word,
      TokenKind.word,
      TokenKind.numbered,
      TokenKind.shaped,
      TokenKind.word,
      TokenKind.value,
      TokenKind.value,
    ]);
  });

  it('cuts a line where tokenize does: a long token is a value, a long tail one marker', () => {
    const masker = new Masker();
    assert.deepEqual(maskLine(masker, `payload ${'x'.repeat(129)} end`), [
      ['payload', WILDCARD, 'end'],
      [TokenKind.word, TokenKind.value, TokenKind.word],
    ]);
    assert.deepEqual(maskLine(masker, 'a b c d e', 3), [
      ['a', 'b', TRUNCATED],
      [TokenKind.word, TokenKind.word, TokenKind.word],
    ]);
    assert.deepEqual(maskLine(masker, 'a b 7 ', 3), [
      ['a', 'b', WILDCARD],
      [TokenKind.word, TokenKind.word, TokenKind.value],
    ]);
    assert.deepEqual(maskLine(masker, ' \t '), [[], []]);
  });

  it('gives the same result from its memory of recent tokens, even when that memory is full', () => {
    for (const slots of [1, 4, 16384]) {
      const masker = new Masker(slots);
      for (let round = 0; round < 3; round++) {
        for (let value = 0; value < 10; value++) {
          const [tokens, kinds] = maskLine(masker, `port=${value} node-${value} eth0 level=info`);
          assert.deepEqual(tokens, ['port=<*>', 'node-<*>', 'eth0', 'level=info'], `${slots} slots`);
          assert.deepEqual(kinds, [TokenKind.shaped, TokenKind.shaped, TokenKind.numbered, TokenKind.word]);
        }
      }
    }
  });

  it('splits and masks every Loghub line as tokenize and the rules do on their own', () => {
    const remembering = new Masker();
    const forgetting = new Masker(1);
    let tokens = 0;
    for (const message of loghubMessages()) {
      const expected = tokenize(message, 100, 128).map(maskToken);
      const [masked, kinds] = maskLine(remembering, message);
      assert.deepEqual(masked, expected, message);
      assert.deepEqual([masked, kinds], maskLine(forgetting, message), message);
      tokens += masked.length;
    }
    assert.ok(tokens > 100_000, `only ${tokens} tokens read`);
  });
});

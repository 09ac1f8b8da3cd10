// The template miner: grouping accuracy on the ten Loghub-2k datasets with the one default
// configuration; single-threaded speed on the Loghub-2k contents and on a generated journald-style
// corpus of a million lines, beside a bare `split(' ')` pass over the same lines; pathological input
// (tokens built to make a regular expression backtrack, a recency list after millions of uses, huge
// lines) beside ordinary input of the same size; and memory while 100,000 distinct templates flood
// in, each limit measured in a child process of its own.
// Rates use this process's CPU time, so other work on the shared cores does not count against them.
import { fileURLToPath } from 'node:url';
import { groupingAccuracy } from '../../backend/src/mining/accuracy.ts';
import { maskToken } from '../../backend/src/mining/masking.ts';
import { DEFAULT_MINER_OPTIONS, TemplateMiner } from '../../backend/src/mining/miner.ts';
import { RecencyList } from '../../backend/src/mining/recency.ts';
import { LOGHUB_DATASETS, loadLoghub } from '../support/loghub.ts';
import type { Benchmark } from './benchmark.ts';
import { fmt, printTable } from './benchmark.ts';
import { runMeasured } from './measure-child.ts';

const CORPUS_LINES = 1_000_000;
const CORPUS_SEED = 42;
const LOGHUB_PASSES = 10;
const FLOOD_TEMPLATES = 100_000;
const FLOOD_FLAG = '--mining-flood';
const THIS_FILE = fileURLToPath(import.meta.url);

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Lines per CPU second of `work`, run `passes` times over `lines` (best pass, to skip GC pauses). */
function rate(lines: readonly string[], passes: number, work: (lines: readonly string[]) => number): number {
  let best = Infinity;
  let sink = 0;
  for (let pass = 0; pass < passes; pass++) {
    const started = cpuSeconds();
    sink += work(lines);
    best = Math.min(best, cpuSeconds() - started);
  }
  if (sink < 0) console.log(sink);
  return lines.length / best;
}

function splitPass(lines: readonly string[]): number {
  let tokens = 0;
  for (const line of lines) tokens += line.split(' ').length;
  return tokens;
}

function minePass(lines: readonly string[]): number {
  const miner = new TemplateMiner();
  for (const line of lines) miner.add(line, 0);
  return miner.stats.templates;
}

/** CPU nanoseconds per call of `work`: the best of five passes of enough calls to take 20 ms each. */
function nsPerCall(work: () => number): number {
  let sink = 0;
  const pass = (calls: number) => {
    const started = cpuSeconds();
    for (let call = 0; call < calls; call++) sink += work();
    return cpuSeconds() - started;
  };
  let calls = 1;
  while (pass(calls) < 0.02) calls *= 2;
  let best = Infinity;
  for (let round = 0; round < 5; round++) best = Math.min(best, pass(calls));
  if (sink < 0) console.log(sink);
  return (best / calls) * 1e9;
}

/** Mulberry32: small, fast, and the same sequence for the same seed everywhere. */
class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  hex(length: number): string {
    let text = '';
    for (let index = 0; index < length; index++) text += '0123456789abcdef'[this.int(16)];
    return text;
  }
}

const NAMES = 'alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent walter'.split(
  ' ',
);
const SCANNED = 'admin root test oracle ubnt postgres git user guest ftp pi support deploy jenkins'.split(
  ' ',
);
const UNITS = [
  'nginx.service',
  'postgresql@15-main.service',
  'docker.service',
  'containerd.service',
  'kubelet.service',
  'cron.service',
  'logrotate.service',
  'apt-daily.service',
  'fstrim.service',
  'certbot.service',
  'session-4.scope',
  'user@1000.service',
  'systemd-tmpfiles-clean.service',
  'backup.service',
  'myapp.service',
];
const PATHS = ['/', '/index.html', '/api/v1/items', '/api/v1/login', '/health', '/static/app.js', '/metrics'];
const AGENTS = [
  'Mozilla/5.0',
  'curl/8.5.0',
  'Prometheus/2.42.0',
  'kube-probe/1.29',
  'python-requests/2.31.0',
];

function ip(random: Random): string {
  return `${random.int(223) + 1}.${random.int(256)}.${random.int(256)}.${random.int(254) + 1}`;
}
function port(random: Random): number {
  return 1024 + random.int(64_000);
}
function user(random: Random): string {
  return random.next() < 0.5 ? random.pick(NAMES) : random.pick(SCANNED);
}
function isoTime(random: Random): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `2024-05-${pad(random.int(28) + 1)} ${pad(random.int(24))}:${pad(random.int(60))}:${pad(random.int(60))}.${String(random.int(1000)).padStart(3, '0')}`;
}

/** Message shapes with weights; each shape is one template a person would write. */
const SHAPES: [number, (random: Random) => string][] = [
  [8, (r) => `Failed password for ${user(r)} from ${ip(r)} port ${port(r)} ssh2`],
  [6, (r) => `Failed password for invalid user ${r.pick(SCANNED)} from ${ip(r)} port ${port(r)} ssh2`],
  [6, (r) => `Invalid user ${r.pick(SCANNED)} from ${ip(r)} port ${port(r)}`],
  [4, (r) => `Connection closed by authenticating user ${user(r)} ${ip(r)} port ${port(r)} [preauth]`],
  [4, (r) => `Received disconnect from ${ip(r)} port ${port(r)}:11: Bye Bye [preauth]`],
  [
    3,
    (r) =>
      `Accepted publickey for ${r.pick(NAMES)} from ${ip(r)} port ${port(r)} ssh2: ED25519 SHA256:${r.hex(43)}`,
  ],
  [
    3,
    (r) =>
      `pam_unix(sshd:session): session opened for user ${r.pick(NAMES)}(uid=${1000 + r.int(20)}) by (uid=0)`,
  ],
  [3, (r) => `pam_unix(sshd:session): session closed for user ${r.pick(NAMES)}`],
  [5, (r) => `${r.pick(UNITS)}: Deactivated successfully.`],
  [4, (r) => `${r.pick(UNITS)}: Consumed ${(r.next() * 30).toFixed(3)}s CPU time.`],
  [2, (r) => `${r.pick(UNITS)}: Main process exited, code=exited, status=${1 + r.int(3)}/FAILURE`],
  [2, (r) => `${r.pick(UNITS)}: Scheduled restart job, restart counter is at ${1 + r.int(50)}.`],
  [2, (r) => `New session ${r.int(5000)} of user ${r.pick(NAMES)}.`],
  [2, (r) => `Session ${r.int(5000)} logged out. Waiting for processes to exit.`],
  [
    4,
    (r) =>
      `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:08:00 SRC=${ip(r)} DST=10.0.0.5 LEN=${40 + r.int(60)} TOS=0x00 PREC=0x00 TTL=${30 + r.int(220)} ID=${r.int(65536)} PROTO=TCP SPT=${port(r)} DPT=${r.pick([22, 23, 80, 443, 3389, 8080])} WINDOW=${r.int(65536)} RES=0x00 SYN URGP=0`,
  ],
  [
    1,
    (r) =>
      `Out of memory: Killed process ${r.int(99999)} (${r.pick(['java', 'postgres', 'node', 'python3'])}) total-vm:${r.int(9e6)}kB, anon-rss:${r.int(5e6)}kB, file-rss:${r.int(1e4)}kB, shmem-rss:0kB, UID:${r.int(2000)} pgtables:${r.int(1e4)}kB oom_score_adj:0`,
  ],
  [3, (r) => `(${r.pick(['root', 'www-data', 'backup'])}) CMD (/usr/local/bin/job-${r.int(20)}.sh)`],
  [
    12,
    (r) =>
      `${ip(r)} - - [${String(r.int(28) + 1).padStart(2, '0')}/May/2024:${String(r.int(24)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')} +0000] "${r.pick(['GET', 'POST'])} ${r.pick(PATHS)} HTTP/1.1" ${r.pick([200, 200, 200, 301, 404, 500])} ${r.int(50_000)} "-" "${r.pick(AGENTS)}"`,
  ],
  [3, (r) => `${isoTime(r)} UTC [${r.int(99999)}] LOG:  checkpoint starting: time`],
  [
    3,
    (r) =>
      `${isoTime(r)} UTC [${r.int(99999)}] LOG:  duration: ${(r.next() * 2000).toFixed(3)} ms  statement: SELECT * FROM orders WHERE id = ${r.int(1e6)}`,
  ],
  [
    4,
    (r) =>
      `I0501 10:${String(r.int(60)).padStart(2, '0')}:00.${r.int(999999)}    ${r.int(9999)} prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-${r.hex(9)}-${r.hex(5)}" podUID="${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}" containerName="web" probeResult="failure" output="Get \\"http://${ip(r)}:8080/ready\\": dial tcp ${ip(r)}:8080: connect: connection refused"`,
  ],
  [3, (r) => `DHCPREQUEST for ${ip(r)} on eth0 to ${ip(r)} port 67`],
  [
    6,
    (r) =>
      `level=info msg="request served" method=${r.pick(['GET', 'PUT'])} path=${r.pick(PATHS)} status=${r.pick([200, 204, 404])} duration=${r.int(900)}ms request_id=${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
  ],
  [
    3,
    (r) =>
      `time="2024-05-01T10:${String(r.int(60)).padStart(2, '0')}:00.${r.int(999999999)}Z" level=info msg="shim disconnected" id=${r.hex(64)} namespace=moby`,
  ],
  [2, (r) => `eth0: Link is Up - ${r.pick([100, 1000, 10000])}Mbps/Full - flow control rx/tx`],
  [
    2,
    (r) =>
      `audit: type=1400 audit(${1714558500 + r.int(1e6)}.${r.int(999)}:${r.int(999)}): apparmor="DENIED" operation="open" profile="snap.${r.pick(['firefox', 'chromium'])}" name="/proc/${r.int(99999)}/mountinfo" pid=${r.int(99999)} comm="${r.pick(['firefox', 'chrome'])}" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000`,
  ],
];

/** A journald-style corpus and the shape that made each line (its true template). */
function journaldCorpus(lines: number, seed: number): { messages: string[]; shapes: Uint16Array } {
  const random = new Random(seed);
  const total = SHAPES.reduce((sum, [weight]) => sum + weight, 0);
  const messages: string[] = new Array<string>(lines);
  const shapes = new Uint16Array(lines);
  for (let index = 0; index < lines; index++) {
    let ticket = random.next() * total;
    let shape = 0;
    while (shape < SHAPES.length - 1 && ticket >= (SHAPES[shape]?.[0] ?? 0))
      ticket -= SHAPES[shape++]?.[0] ?? 0;
    shapes[index] = shape;
    messages[index] = (SHAPES[shape] as [number, (random: Random) => string])[1](random);
  }
  return { messages, shapes };
}

/** A name made of letters only, different for every n, so each flood line is a template of its own. */
function word(n: number): string {
  let text = '';
  do {
    text += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return text.padEnd(3, 'q');
}

function floodLine(index: number): string {
  return `${word((index % 97) + 1000)} ${word(((index * 31) % 89) + 2000)} ${word(index)} ${word(index * 7919 + 13)} was seen`;
}

interface FloodResult {
  maxTemplates: number;
  templates: number;
  evictions: number;
  heapMb: number;
  linesPerSecond: number;
}

/** In a child process: feeds the flood with one limit, then reports the heap left after a full GC. */
function measureFlood(maxTemplates: number, lines: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const miner = new TemplateMiner({ maxTemplates });
  const started = cpuSeconds();
  for (let index = 0; index < lines; index++) miner.add(floodLine(index), 0);
  const seconds = cpuSeconds() - started;
  gc?.();
  const result: FloodResult = {
    maxTemplates,
    ...miner.stats,
    heapMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
    linesPerSecond: seconds > 0 ? lines / seconds : 0,
  };
  console.log(JSON.stringify(result));
}

/** Tokens shaped to make a careless pattern backtrack, at any (even) length. */
const ADVERSARIAL_TOKENS: ((length: number) => string)[] = [
  (length) => '1.'.repeat(length / 2),
  (length) => 'a:'.repeat(length / 2),
  (length) => '_1'.repeat(length / 2),
  (length) => ''.padEnd(length - 1, 'a-') + '!',
  (length) => ''.padEnd(length - 1, '0') + 'x',
  (length) => ''.padEnd(length - 3, 'a.') + 'com',
  (length) => '='.repeat(length),
  (length) => 'f'.repeat(length),
  (length) => "'".repeat(length),
  (length) => '/a'.repeat(length / 2),
  (length) => ':'.repeat(length),
];

/** Tokens that logs do have, made as long as wanted with more of the same. */
const ORDINARY_TOKENS: ((length: number) => string)[] = [
  (length) => 'https://registry.example.com/v2/'.padEnd(length, 'library/nginx/'),
  (length) => '/var/lib/docker/overlay2/'.padEnd(length, '4f9a2c1e/'),
  (length) => 'request_id='.padEnd(length, '38101a0b-2096-'),
  (length) => 'org.apache.hadoop.'.padEnd(length, 'mapreduce.v2.app.'),
];

const SHORT_TOKEN = 32;
/** The longest token the miner masks (`maxTokenLength`); a longer one is a value outright. */
const LONG_TOKEN = DEFAULT_MINER_OPTIONS.maxTokenLength;

/** Nanoseconds to mask a token of each length. */
interface MaskingCost {
  short: number;
  long: number;
}

function maskingCost(make: (length: number) => string): MaskingCost {
  const short = make(SHORT_TOKEN);
  const long = make(LONG_TOKEN);
  return {
    short: nsPerCall(() => maskToken(short).length),
    long: nsPerCall(() => maskToken(long).length),
  };
}

function pathologicalTokens(): void {
  console.log(
    `\n#### Masking adversarial tokens (ns per token), beside ordinary tokens of ${LONG_TOKEN} characters\n`,
  );
  const ordinary = ORDINARY_TOKENS.map(maskingCost);
  const reference = ordinary.reduce((sum, cost) => sum + cost.long, 0) / ordinary.length;
  const row = (make: (length: number) => string, cost: MaskingCost) => [
    `\`${make(LONG_TOKEN).slice(0, 16)}…\``,
    fmt(cost.short),
    fmt(cost.long),
    fmt(cost.long / cost.short, 1),
    fmt(cost.long / reference, 2),
  ];
  printTable(
    [
      'token',
      `${SHORT_TOKEN} chars`,
      `${LONG_TOKEN} chars`,
      `${LONG_TOKEN} / ${SHORT_TOKEN} chars`,
      'vs ordinary',
    ],
    [
      ...ADVERSARIAL_TOKENS.map((make) => row(make, maskingCost(make))),
      ...ORDINARY_TOKENS.map((make, index) => row(make, ordinary[index] as MaskingCost)),
    ],
  );
  console.log(
    `\nvs ordinary: beside the mean of the ordinary tokens (last rows). Time linear in the token grows` +
      ` about ${LONG_TOKEN / SHORT_TOKEN}-fold from ${SHORT_TOKEN} to ${LONG_TOKEN} characters; backtracking grows far faster.`,
  );
}

interface RecencyItem {
  older: RecencyItem | null;
  newer: RecencyItem | null;
}

const RECENCY_ROUNDS = 200_000;
const RECENCY_CHURN = 10_000_000;

/** Nanoseconds per round of the miner's use: the oldest item removed and pushed back, another touched. */
function recencyRounds(list: RecencyList<RecencyItem>, items: RecencyItem[], touches: Uint32Array): number {
  const started = cpuSeconds();
  for (let round = 0; round < touches.length; round++) {
    const oldest = list.oldest as RecencyItem;
    list.remove(oldest);
    list.push(oldest);
    list.touch(items[touches[round] as number] as RecencyItem);
  }
  return ((cpuSeconds() - started) / touches.length) * 1e9;
}

function pathologicalRecency(): void {
  console.log(
    `\n#### Recency list (ns per round), early in its use and after ${fmt(RECENCY_CHURN)} rounds\n`,
  );
  const random = new Random(CORPUS_SEED);
  const rows: (string | number)[][] = [];
  for (const size of [1_000, 100_000]) {
    const items = Array.from({ length: size }, (): RecencyItem => ({ older: null, newer: null }));
    const list = new RecencyList<RecencyItem>();
    for (const item of items) list.push(item);
    const touches = Uint32Array.from({ length: RECENCY_ROUNDS }, () => random.int(size));
    const churn = Uint32Array.from({ length: RECENCY_CHURN }, () => random.int(size));
    const best = () => Math.min(...[0, 1, 2].map(() => recencyRounds(list, items, touches)));
    // The first rounds after filling pay for the compiler and for the list's layout settling in memory.
    recencyRounds(list, items, touches);
    const early = best();
    recencyRounds(list, items, churn);
    const late = best();
    rows.push([fmt(size), fmt(early, 1), fmt(late, 1), fmt(late / early, 2)]);
  }
  printTable(
    ['items', `after ${fmt(RECENCY_ROUNDS)} rounds`, `after ${fmt(RECENCY_CHURN)} rounds`, 'late / early'],
    rows,
  );
  console.log(
    `\nA round removes the oldest item, pushes it back and touches a random one; best of 3 runs of ${fmt(RECENCY_ROUNDS)} rounds.`,
  );
}

function pathologicalLines(): void {
  console.log(`\n#### Huge lines (us per line), beside \`split(' ')\` over the same line\n`);
  const words = Array.from({ length: 100_000 }, (_, index) => `token${index % 97}`);
  const lines: [name: string, line: string][] = [
    [`${fmt(words.length)} tokens`, words.join(' ')],
    ['its first 101 tokens', words.slice(0, 101).join(' ')],
    ['5,000 numbers', Array.from({ length: 5000 }, (_, index) => String(index * 7)).join(' ')],
    ['one token of 1,000,000 characters', 'x'.repeat(1_000_000)],
  ];
  const miner = new TemplateMiner();
  for (const [, line] of lines) miner.add(line, 0);
  const rows = lines.map(([name, line]) => {
    const mined = nsPerCall(() => miner.add(line, 0).templateId) / 1000;
    const split = nsPerCall(() => line.split(' ').length) / 1000;
    return [name, fmt(line.length), fmt(mined, 1), fmt(split, 1), fmt(mined / split, 3)];
  });
  printTable(['line', 'characters', 'miner', "split(' ')", 'miner / split'], rows);
  console.log(
    `\nThe miner reads no further than a line's first ${DEFAULT_MINER_OPTIONS.maxTokens} tokens, so the` +
      ` ${fmt(words.length)}-token line should cost it what its first 101 tokens do.`,
  );
}

async function run(): Promise<void> {
  console.log('### Grouping accuracy on Loghub-2k (Content column, one default configuration)\n');
  const accuracyRows: (string | number)[][] = [];
  let sum = 0;
  for (const name of LOGHUB_DATASETS) {
    const dataset = loadLoghub(name);
    const miner = new TemplateMiner();
    const predicted = dataset.lines.map((line) => miner.add(line.content, 0).templateId);
    const accuracy = groupingAccuracy(
      predicted,
      dataset.lines.map((line) => line.eventId),
    );
    sum += accuracy;
    accuracyRows.push([name, fmt(accuracy, 3), miner.stats.templates, dataset.templates]);
  }
  accuracyRows.push(['**average**', `**${fmt(sum / LOGHUB_DATASETS.length, 3)}**`, '', '']);
  printTable(['dataset', 'grouping accuracy', 'templates found', 'true templates'], accuracyRows);
  console.log(
    '\nReference: Drain with per-dataset tuned masking averages 0.866 over 16 datasets (Zhu et al., ICSE 2019).',
  );

  console.log(`\n### Speed (one thread, lines per CPU second, best of the passes)\n`);
  const loghub = LOGHUB_DATASETS.flatMap((name) => loadLoghub(name).lines.map((line) => line.content));
  minePass(loghub);
  const loghubMiner = rate(loghub, LOGHUB_PASSES, minePass);
  const loghubSplit = rate(loghub, LOGHUB_PASSES, splitPass);
  let started = performance.now();
  const corpus = journaldCorpus(CORPUS_LINES, CORPUS_SEED);
  const generateSeconds = (performance.now() - started) / 1000;
  const corpusSplit = rate(corpus.messages, 3, splitPass);
  // Warm the compiler on a slice with a throwaway miner, as a long-running service would be.
  minePass(corpus.messages.slice(0, CORPUS_LINES / 10));
  const miner = new TemplateMiner();
  const predicted = new Uint32Array(CORPUS_LINES);
  started = cpuSeconds();
  for (let index = 0; index < CORPUS_LINES; index++) {
    predicted[index] = miner.add(corpus.messages[index] as string, 0).templateId;
  }
  const corpusMiner = CORPUS_LINES / (cpuSeconds() - started);
  printTable(
    ['corpus', 'lines', 'miner lines/s', "split(' ') lines/s", 'miner / split', 'templates'],
    [
      [
        `Loghub-2k contents, fresh miner per pass (${LOGHUB_PASSES} passes)`,
        fmt(loghub.length),
        fmt(loghubMiner),
        fmt(loghubSplit),
        fmt(loghubMiner / loghubSplit, 3),
        minePass(loghub),
      ],
      [
        `journald-style, generated (seed ${CORPUS_SEED}, ${SHAPES.length} message shapes)`,
        fmt(CORPUS_LINES),
        fmt(corpusMiner),
        fmt(corpusSplit),
        fmt(corpusMiner / corpusSplit, 3),
        miner.stats.templates,
      ],
    ],
  );
  console.log(
    `\nThe generated corpus took ${generateSeconds.toFixed(1)} s to build. Grouping accuracy against the shape` +
      ` that generated each line: ${fmt(groupingAccuracy(Array.from(predicted), Array.from(corpus.shapes)), 3)}.`,
  );

  console.log('\n### Pathological input (one thread, CPU time, best of the passes)');
  pathologicalTokens();
  pathologicalRecency();
  pathologicalLines();

  console.log(
    `\n### Memory while ${fmt(FLOOD_TEMPLATES)} distinct templates flood in (one child process each)\n`,
  );
  // The first run feeds no lines: what Node, tsx and the code take before the miner holds anything.
  const runs: [limit: number, lines: number][] = [
    [10_000, 0],
    [10_000, FLOOD_TEMPLATES],
    [DEFAULT_MINER_OPTIONS.maxTemplates, FLOOD_TEMPLATES],
    [1_000_000, FLOOD_TEMPLATES],
  ];
  const rows: (string | number)[][] = [];
  for (const [limit, lines] of runs) {
    const child = await runMeasured(process.execPath, [
      '--expose-gc',
      '--import',
      'tsx',
      THIS_FILE,
      FLOOD_FLAG,
      String(limit),
      String(lines),
    ]);
    if (child.code !== 0) throw new Error(`flood child failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as FloodResult;
    rows.push([
      lines === 0
        ? 'no lines fed'
        : limit === DEFAULT_MINER_OPTIONS.maxTemplates
          ? `${fmt(limit)} (default)`
          : fmt(limit),
      fmt(result.templates),
      fmt(result.evictions),
      fmt(result.heapMb, 1),
      fmt(child.peakRssMb, 0),
      fmt(result.linesPerSecond),
    ]);
  }
  printTable(
    ['maxTemplates', 'templates kept', 'evictions', 'miner heap MB', 'peak RSS MB', 'lines/s'],
    rows,
  );
  console.log(
    '\nminer heap: the JS heap the miner holds after a full collection; RSS includes Node and tsx.',
  );
}

export const miningBenchmark: Benchmark = {
  name: 'mining',
  title:
    'template miner: grouping accuracy (Loghub-2k), speed, pathological input, memory under a template flood',
  run,
};

const floodAt = process.argv.indexOf(FLOOD_FLAG);
if (process.argv[1] === THIS_FILE && floodAt >= 0) {
  measureFlood(Number(process.argv[floodAt + 1]), Number(process.argv[floodAt + 2]));
}

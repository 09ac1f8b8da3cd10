import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FeatureBench, HOUR_US } from './helpers.ts';
import { STREAM_START_US } from './stream.ts';

const DAY_US = 24 * HOUR_US;
const at = (day: number, hour: number) => STREAM_START_US + day * DAY_US + hour * HOUR_US;

describe('entry features and reasons', () => {
  test('a template is new the first time it is seen anywhere, and only then', () => {
    const bench = new FeatureBench();
    const first = bench.feed('backup finished without errors');
    assert.ok(first.reasons.includes('new-template'));
    assert.equal(first.features['template-novelty'], 1);
    const second = bench.feed('backup finished without errors');
    assert.ok(!second.reasons.includes('new-template'));
    assert.equal(second.features['template-novelty'], 1 / 2);
    assert.equal(bench.feed('backup finished without errors').features['template-novelty'], 1 / 3);
  });

  test('new-on-host: known elsewhere, first said on a host with history', () => {
    const bench = new FeatureBench();
    bench.repeat(150, () => ['heartbeat ok', { host: 'h2' }]);
    bench.repeat(40, () => ['backup finished without errors', { host: 'h1' }]);
    const onH2 = bench.feed('backup finished without errors', { host: 'h2' });
    assert.deepEqual(onH2.reasons, ['new-on-host']);
    assert.equal(onH2.features['host-novelty'], 1);
    assert.equal(onH2.features['unit-novelty'], 1);
    assert.equal(onH2.features['template-novelty'], 1 / 41);
    const again = bench.feed('backup finished without errors', { host: 'h2' });
    assert.ok(!again.reasons.includes('new-on-host'));
    assert.equal(again.features['host-novelty'], 1 / 2);

    bench.repeat(5, () => ['heartbeat ok', { host: 'h3' }]);
    const young = bench.feed('backup finished without errors', { host: 'h3' });
    assert.ok(!young.reasons.includes('new-on-host'), 'a host with 5 entries has no history to compare with');
  });

  test('new-on-host is no news for a template that turns up on one host after another', () => {
    const bench = new FeatureBench();
    for (const host of ['h1', 'h2', 'h3', 'h4', 'h5']) {
      bench.repeat(150, () => ['heartbeat ok', { host }]);
      if (host !== 'h5') bench.feed('The system will reboot now!', { host });
    }
    assert.deepEqual(bench.feed('The system will reboot now!', { host: 'h5' }).reasons, []);
  });

  test('unit-never-says-this: said on this host, never from this unit', () => {
    const bench = new FeatureBench();
    bench.feed('connection reset by peer', { unit: 'app.service' });
    bench.repeat(150, () => ['tick', { unit: 'other.service' }]);
    const other = bench.feed('connection reset by peer', { unit: 'other.service' });
    assert.deepEqual(other.reasons, ['unit-never-says-this']);
    assert.equal(other.features['unit-novelty'], 1);
    assert.equal(other.features['host-novelty'], 1 / 2);
    const again = bench.feed('connection reset by peer', { unit: 'other.service' });
    assert.ok(!again.reasons.includes('unit-never-says-this'));
  });

  test('new-unit: the first entry of a unit on a known host, not of a new host', () => {
    const bench = new FeatureBench();
    bench.repeat(150, () => ['tick']);
    assert.ok(bench.feed('tick', { unit: 'fresh.service' }).reasons.includes('new-unit'));
    assert.ok(!bench.feed('tick', { unit: 'fresh.service' }).reasons.includes('new-unit'));
    assert.ok(!bench.feed('tick', { host: 'h9', unit: 'fresh.service' }).reasons.includes('new-unit'));
  });

  test('rare-template: seen before but a tiny share; a common one is not rare', () => {
    const bench = new FeatureBench();
    bench.feed('cache rebuilt');
    const common = bench.repeat(20_000, () => ['tick']);
    assert.deepEqual(common.reasons, []);
    const rare = bench.feed('cache rebuilt');
    assert.deepEqual(rare.reasons, ['rare-template']);
    assert.ok(rare.features['template-rarity'] > Math.log(10_000));
    assert.ok(common.features['template-rarity'] < 0.01);
  });

  test('off-hours: an hour this template (or unit) is hardly ever seen at, once that is known', () => {
    const bench = new FeatureBench();
    const office = (days: number) =>
      bench.repeat(days * 4, (index) => [
        'report sent',
        { unit: 'report.service', timeUs: at(Math.floor(index / 4), 10 + (index % 4) * 0.5) },
      ]);
    office(5);
    const early = bench.feed('report sent', { unit: 'report.service', timeUs: at(6, 20) });
    assert.ok(
      !early.reasons.includes('off-hours'),
      `20 entries prove little: ${early.features['template-hour-surprise']}`,
    );
    office(25);
    const night = bench.feed('report sent', { unit: 'report.service', timeUs: at(30, 3) });
    assert.ok(night.reasons.includes('off-hours'));
    assert.ok(night.features['template-hour-surprise'] > Math.log(10));
    const noon = bench.feed('report sent', { unit: 'report.service', timeUs: at(30, 11) });
    assert.ok(!noon.reasons.includes('off-hours'));
    assert.equal(noon.features['template-hour-surprise'], 0);

    bench.repeat(24 * 10, (index) => ['tick', { unit: 'cron.service', timeUs: at(index / 24, index % 24) }]);
    assert.ok(!bench.feed('tick', { unit: 'cron.service', timeUs: at(31, 3) }).reasons.includes('off-hours'));
  });

  test('new-parameter: a new value where values repeat, not where they are always new', () => {
    const bench = new FeatureBench();
    const login = (user: string, address: string, port: number) =>
      bench.feed(`session opened for user ${user} from ${address} port ${port}`, { unit: 'ssh.service' });
    for (let index = 0; index < 300; index++) {
      login(index % 2 ? 'alice' : 'bob', `10.0.0.${1 + (index % 3)}`, 40_000 + index);
    }
    const stranger = login('mallory', '10.0.0.1', 61_234);
    assert.deepEqual(stranger.reasons, ['new-parameter']);
    assert.equal(stranger.features['parameter-new-share'], 2 / 3);
    assert.ok(stranger.features['parameter-surprise'] > Math.log(20));
    assert.equal(stranger.features['parameter-count'], 3);
    const newPortOnly = login('alice', '10.0.0.2', 61_235);
    assert.deepEqual(newPortOnly.reasons, []);
    assert.equal(newPortOnly.features['parameter-new-share'], 1 / 3);
    assert.ok(newPortOnly.features['parameter-surprise'] < 0.1);
    const again = login('mallory', '10.0.0.1', 61_236);
    assert.deepEqual(again.reasons, [], 'mallory is known now');
  });

  test("a new value that holds the entry's own pid, or a date or a time, is no news", () => {
    const bench = new FeatureBench();
    const error = (pid: number, day: number, user: string) =>
      bench.feed(`2024/06/0${day} 12:00:0${day % 10} [error] ${pid}#${pid}: upstream timed out for ${user}`, {
        unit: 'nginx.service',
        pid,
      });
    for (let index = 0; index < 200; index++) error(2381, 1, index % 2 ? 'alice' : 'bob');
    const restarted = error(4242, 2, 'alice');
    assert.deepEqual(restarted.reasons, [], 'a new pid after a restart, and the next day');
    assert.ok(error(4242, 2, 'mallory').reasons.includes('new-parameter'), 'a new user still is');
  });

  test('at-boot: the first minutes after the host booted (the journal says how long ago)', () => {
    const bench = new FeatureBench();
    const minute = 60_000_000;
    assert.ok(bench.feed('Linux version 6.1.0', { sinceBootUs: 2 * minute }).reasons.includes('at-boot'));
    assert.ok(!bench.feed('Linux version 6.1.0', { sinceBootUs: 30 * minute }).reasons.includes('at-boot'));
    assert.ok(!bench.feed('Linux version 6.1.0').reasons.includes('at-boot'), 'unknown without the field');
  });

  test('parameters are read as the miner reads tokens: a cut-off tail, an over-long token', () => {
    const bench = new FeatureBench({}, { maxTokens: 6, maxTokenLength: 12 });
    const line = (user: string, tail: string) => bench.feed(`job run by ${user} on node ${tail}`);
    for (let index = 0; index < 100; index++) line(index % 2 ? 'alice' : 'bob', `n1 and more words ${index}`);
    assert.equal(bench.miner.stats.templates, 1);
    const cut = line('alice', 'n1 and even more words');
    assert.deepEqual(cut.reasons, [], 'the cut-off tail is one marker, whatever it held');
    assert.equal(cut.features['parameter-new-share'], 0);
    const long = line('x'.repeat(40), 'n1 and more words');
    assert.ok(long.reasons.includes('new-parameter'), 'an over-long user is the wildcard, new here');
    const longAgain = line('y'.repeat(40), 'n1 and more words');
    assert.ok(!longAgain.reasons.includes('new-parameter'), 'every over-long token is the same wildcard');
  });

  test('a position that has just become variable remembers the value it always held', () => {
    const bench = new FeatureBench();
    bench.repeat(100, () => ['nightly backup finished with status ok']);
    const failed = bench.feed('nightly backup finished with status failed');
    assert.ok(failed.reasons.includes('new-parameter'));
    assert.equal(failed.features['parameter-count'], 1);
    const ok = bench.feed('nightly backup finished with status ok');
    assert.deepEqual(ok.reasons, []);
    assert.equal(ok.features['parameter-new-share'], 0);
  });

  test('unusual-length: far longer than the template usually is', () => {
    const bench = new FeatureBench();
    const names = ['report', 'invoice', 'summary', 'ledger', 'archive'];
    const upload = (name: string) => bench.feed(`upload of ${name} to the archive bucket complete`);
    for (let index = 0; index < 100; index++) upload(names[index % 5] as string);
    const usual = upload('summary');
    assert.deepEqual(usual.reasons, []);
    assert.ok(usual.features['length-deviation'] < 2);
    const huge = upload('x'.repeat(2000));
    assert.deepEqual(huge.reasons, ['unusual-length']);
    assert.equal(
      huge.features['log-length'],
      Math.log1p(2000 + 'upload of  to the archive bucket complete'.length),
    );
  });

  test('priority: err and worse is high; a missing one counts as info', () => {
    const bench = new FeatureBench();
    bench.repeat(200, () => ['request served', { priority: 6 }]);
    const error = bench.feed('request failed', { priority: 3 });
    assert.ok(error.reasons.includes('high-priority'));
    assert.ok(error.features['series-priority-rarity'] > Math.log(100));
    assert.ok(!bench.feed('request slow', { priority: 4 }).reasons.includes('high-priority'));
    const missing = bench.feed('request served', { priority: null });
    assert.equal(missing.features.priority, 6);
    assert.ok(!missing.reasons.includes('high-priority'));
    assert.ok(missing.features['series-priority-rarity'] < 0.01);
  });

  test('hour of day and day of week are cyclic, in UTC', () => {
    const bench = new FeatureBench();
    const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9);
    const mondaySix = bench.feed('tick', { timeUs: at(0, 6) }).features;
    close(mondaySix['hour-sin'], 1);
    close(mondaySix['hour-cos'], 0);
    const mondayMidnight = bench.feed('tick', { timeUs: at(0, 0) }).features;
    close(mondayMidnight['weekday-sin'], 0);
    close(mondayMidnight['weekday-cos'], 1);
    const thursdayNoon = bench.feed('tick', { timeUs: at(3, 12) }).features;
    close(thursdayNoon['hour-cos'], -1);
    close(thursdayNoon['weekday-sin'], Math.sin((2 * Math.PI * 3.5) / 7));
    const nextMonday = bench.feed('tick', { timeUs: at(7, 0) }).features;
    close(nextMonday['weekday-cos'], 1);
  });
});

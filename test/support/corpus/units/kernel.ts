/** The kernel: routine noise, firewall drops, and rare trouble (OOM kills, segfaults with core dumps, I/O errors). */
import type { Victim } from '../catalog.ts';
import { VICTIMS } from '../catalog.ts';
import type { Recorder } from '../recorder.ts';
import { systemd } from './system.ts';

export function kernelNoise(rec: Recorder): void {
  const random = rec.random;
  const kernel = rec.kernel();
  const roll = random.next();
  if (roll < 0.35) {
    const comm = random.pick(['node', 'python3', 'containerd-shim', 'postgres', 'nginx', 'kubelet']);
    rec.entry(
      kernel,
      6,
      `audit: type=1400 audit(${Math.floor(rec.clockUs / 1e6)}.${random.int(100, 999)}:${random.int(100, 99_999)}): apparmor="DENIED" operation="open" class="file" profile="${random.pick(['cri-containerd.apparmor.d', 'docker-default', '/usr/sbin/chronyd', 'nvidia_modprobe'])}" name="/proc/${random.int(1, 99_999)}/${random.pick(['mounts', 'cmdline', 'status', 'net/dev'])}" pid=${random.int(1000, 999_999)} comm="${comm}" requested_mask="r" denied_mask="r" fsuid=${random.pick([0, 33, 999, 65534])} ouid=0`,
    );
  } else if (roll < 0.55) {
    rec.entry(
      kernel,
      4,
      `perf: interrupt took too long (${random.int(2501, 9000)} > ${random.int(2500, 3200)}), lowering kernel.perf_event_max_sample_rate to ${random.pick([79750, 63750, 50000, 39750, 31500])}`,
    );
  } else if (roll < 0.7) {
    rec.entry(kernel, 6, `hrtimer: interrupt took ${random.int(50_000, 9_000_000)} ns`);
  } else if (roll < 0.85) {
    rec.entry(
      kernel,
      5,
      `EXT4-fs (${random.pick(['vda1', 'vdb1', 'nvme0n1p2'])}): ${random.pick(['resizing filesystem from', 'mounted filesystem with ordered data mode. Quota mode: none.', 'Delayed block allocation failed for inode'])}${random.chance(0.5) ? '' : ` ${random.int(1_000_000, 90_000_000)} blocks`}`,
    );
  } else {
    rec.entry(
      kernel,
      4,
      `TCP: request_sock_TCP: Possible SYN flooding on port ${random.pick([443, 80, 8080, 6443, 5432])}. Sending cookies.  Check SNMP counters.`,
    );
  }
}

export function firewallBlock(rec: Recorder): void {
  const random = rec.random;
  const kernel = rec.kernel();
  const proto = random.chance(0.85) ? 'TCP' : 'UDP';
  const port = random.pickSkewed([
    23, 22, 3389, 445, 8080, 5900, 1433, 3306, 6379, 8443, 2375, 5060, 123, 161,
  ]);
  const tail =
    proto === 'TCP'
      ? `SPT=${random.int(1024, 65535)} DPT=${port} WINDOW=${random.pick([1024, 14600, 29200, 64240, 65535])} RES=0x00 SYN URGP=0`
      : `SPT=${random.int(1024, 65535)} DPT=${port} LEN=${random.int(8, 120)}`;
  rec.entry(
    kernel,
    4,
    `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:${random.hex(2)}:${random.hex(2)}:${random.hex(2)}:fe:ff:ff:ff:ff:ff:08:00 SRC=${rec.scannerIp()} DST=10.0.1.${random.int(10, 40)} LEN=${random.int(40, 60)} TOS=0x00 PREC=0x00 TTL=${random.int(38, 250)} ID=${random.int(1, 65535)} ${random.chance(0.5) ? 'DF ' : ''}PROTO=${proto} ${tail}`,
  );
}

/** Rare trouble: an OOM kill, a segfault with its core dump (a multi-line entry), a disk error. */
export function rareTrouble(rec: Recorder): void {
  const random = rec.random;
  const kernel = rec.kernel();
  const roll = random.next();
  const victim = VICTIMS[rec.host.role];
  const pid = rec.newPid(rec.host);
  if (roll < 0.45) {
    oomKill(rec, victim, pid);
  } else if (roll < 0.85) {
    const library = random.pick(['libc.so.6', 'libssl.so.3', 'libpython3.11.so.1.0', 'libuv.so.1']);
    rec.entry(
      kernel,
      6,
      `${victim.comm}[${pid}]: segfault at ${random.hex(4)} ip 00007f${random.hex(10)} sp 00007ffd${random.hex(8)} error 4 in ${library}[7f${random.hex(10)}+${random.hex(6)}] likely on CPU ${random.int(0, 7)} (core ${random.int(0, 3)}, socket 0)`,
    );
    rec.later(random.int(200_000, 2_000_000), () => coredump(rec, victim, pid, library));
  } else {
    const device = random.pick(['vdb', 'sdb', 'nvme1n1']);
    const sector = random.int(1_000_000, 900_000_000);
    for (let repeat = random.int(1, 6); repeat > 0; repeat--) {
      rec.entry(
        kernel,
        3,
        `I/O error, dev ${device}, sector ${sector + repeat * 8} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2`,
      );
    }
    rec.entry(
      kernel,
      3,
      `Buffer I/O error on dev ${device}1, logical block ${Math.floor(sector / 8)}, async page read`,
    );
  }
}

/** The kernel's OOM killer picks `pid` of `victim`, and systemd notes it and fails the unit. */
export function oomKill(rec: Recorder, victim: Victim, pid: number): void {
  const random = rec.random;
  const kernel = rec.kernel();
  const rss = random.int(800_000, 6_000_000);
  rec.entry(
    kernel,
    4,
    `${victim.comm} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
  );
  rec.entry(
    kernel,
    6,
    `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/${victim.unit},task=${victim.comm},pid=${pid},uid=${random.pick([0, 33, 999, 1001])}`,
  );
  rec.entry(
    kernel,
    3,
    `Out of memory: Killed process ${pid} (${victim.comm}) total-vm:${rss + random.int(10_000, 900_000)}kB, anon-rss:${rss}kB, file-rss:${random.int(0, 9000)}kB, shmem-rss:0kB, UID:${random.pick([0, 33, 999, 1001])} pgtables:${random.int(2000, 14_000)}kB oom_score_adj:0`,
  );
  rec.later(random.int(10_000, 200_000), () => {
    systemd(
      rec,
      'oom',
      victim.unit,
      `${victim.unit}: A process of this unit has been killed by the OOM killer.`,
      5,
    );
    systemd(rec, 'failure', victim.unit, `${victim.unit}: Failed with result 'oom-kill'.`, 4, {
      UNIT_RESULT: 'oom-kill',
    });
  });
}

function coredump(rec: Recorder, victim: Victim, pid: number, library: string): void {
  const random = rec.random;
  const uid = random.pick([0, 33, 999, 1001]);
  const coredump = rec.transient(
    `systemd-coredump@0-${random.int(1000, 99_999)}-0.service`,
    'journal',
    'systemd-coredump',
    {
      uid: 0,
      gid: 0,
      comm: 'systemd-coredum',
      exe: '/usr/lib/systemd/systemd-coredump',
      cmdline: `/lib/systemd/systemd-coredump ${pid} ${uid} ${uid} 11 ${Math.floor(rec.clockUs / 1e6)} 18446744073709551615 ${rec.host.name}`,
    },
    3,
    `/system.slice/system-systemd\\x2dcoredump.slice/systemd-coredump@0-${random.int(1000, 99_999)}-0.service`,
  );
  const frames = random.int(4, 14);
  const lines = [
    `Process ${pid} (${victim.comm}) of user ${uid} dumped core.`,
    '',
    `Module ${library} from deb ${library.replace(/\.so.*$/, '')}-${random.int(1, 3)}.${random.int(0, 30)}-${random.int(1, 9)}.amd64`,
    `Stack trace of thread ${pid}:`,
  ];
  for (let frame = 0; frame < frames; frame++) {
    const symbol = random.chance(0.4)
      ? 'n/a'
      : random.pick([
          '__pthread_kill_implementation',
          'raise',
          'abort',
          'malloc',
          '_int_free',
          'uv_run',
          'PyEval_EvalFrameDefault',
          'SSL_read',
          'main',
          '__libc_start_call_main',
        ]);
    lines.push(
      `#${frame}  0x00007f${random.hex(10)} ${symbol} (${frame < frames - 2 ? library : victim.comm} + 0x${random.hex(5)})`,
    );
  }
  lines.push(`ELF object binary architecture: AMD x86-64`);
  rec.entry(coredump, 2, lines.join('\n'), {
    CODE_FILE: 'src/coredump/coredump.c',
    CODE_LINE: '927',
    CODE_FUNC: 'submit_coredump',
    MESSAGE_ID: 'fc2e22bc6ee647b6b90729ab34a250b1',
    COREDUMP_UNIT: victim.unit,
    COREDUMP_PID: String(pid),
    COREDUMP_UID: String(uid),
    COREDUMP_SIGNAL: '11',
    COREDUMP_SIGNAL_NAME: 'SIGSEGV',
    COREDUMP_COMM: victim.comm,
    COREDUMP_EXE: victim.exe,
    COREDUMP_FILENAME: `/var/lib/systemd/coredump/core.${victim.comm}.${uid}.${rec.host.bootId}.${pid}.${Math.floor(rec.clockUs / 1e6)}000000.zst`,
  });
  systemd(rec, 'exited', victim.unit, `${victim.unit}: Main process exited, code=dumped, status=11/SEGV`, 5, {
    EXIT_CODE: 'dumped',
    EXIT_STATUS: '11',
  });
  systemd(rec, 'failure', victim.unit, `${victim.unit}: Failed with result 'core-dump'.`, 4, {
    UNIT_RESULT: 'core-dump',
  });
}

/** ufw (logging medium) notes each new outbound connection: updates, backups, or something worse. */
export function firewallAllowOut(rec: Recorder, source: string, destination: string, port: number): void {
  const random = rec.random;
  rec.entry(
    rec.kernel(),
    4,
    `[UFW ALLOW] IN= OUT=eth0 SRC=${source} DST=${destination} LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=${random.int(1, 65535)} DF PROTO=TCP SPT=${random.int(32768, 60999)} DPT=${port} WINDOW=64240 RES=0x00 SYN URGP=0`,
  );
}

/**
 * A reboot as the journal shows it: systemd stopping every unit and journald stopping, then (in a
 * new boot, with a new `_BOOT_ID` and the monotonic clock from zero) the kernel's ring buffer, systemd
 * starting every unit, and each service's own start-up lines.
 */
import type { Role } from '../catalog.ts';
import { SECOND } from '../catalog.ts';
import type { Recorder } from '../recorder.ts';
import { billingStarted } from './billing.ts';
import { containerRuntimeStarted, kubeletStarted } from './containers.ts';
import { postgresShutdown, postgresStartup } from './postgres.ts';
import { pid1, systemd } from './system.ts';
import { ordersApiStarted } from './web.ts';

export interface Service {
  unit: string;
  description: string;
}

const BASE_SERVICES: Service[] = [
  { unit: 'systemd-udevd.service', description: 'Rule-based Manager for Device Events and Files' },
  { unit: 'networking.service', description: 'Raise network interfaces' },
  { unit: 'chrony.service', description: 'chrony, an NTP client/server' },
  { unit: 'rsyslog.service', description: 'System Logging Service' },
  { unit: 'cron.service', description: 'Regular background program processing daemon' },
  { unit: 'systemd-logind.service', description: 'User Login Management' },
  { unit: 'ssh.service', description: 'OpenBSD Secure Shell server' },
];

/** The services each role runs besides the base system, in start order. */
export const ROLE_SERVICES: Record<Role, Service[]> = {
  web: [
    { unit: 'orders-api.service', description: 'Orders API' },
    { unit: 'nginx.service', description: 'A high performance web server and a reverse proxy server' },
  ],
  db: [{ unit: 'postgresql@15-main.service', description: 'PostgreSQL Cluster 15-main' }],
  worker: [{ unit: 'billing-worker.service', description: 'Billing worker' }],
  k8s: [
    { unit: 'containerd.service', description: 'containerd container runtime' },
    { unit: 'kubelet.service', description: 'kubelet: The Kubernetes Node Agent' },
  ],
  ci: [
    { unit: 'containerd.service', description: 'containerd container runtime' },
    { unit: 'docker.service', description: 'Docker Application Container Engine' },
  ],
  dev: [
    { unit: 'NetworkManager.service', description: 'Network Manager' },
    { unit: 'gdm.service', description: 'GNOME Display Manager' },
  ],
};

/**
 * The lines a service logs itself once it is up: after a boot, a deploy or a restart. Postgres is
 * not here: its start-up lines depend on how it stopped (`postgresStartup`).
 */
export function serviceStarted(rec: Recorder, unit: string): void {
  if (unit === 'orders-api.service') ordersApiStarted(rec);
  else if (unit === 'billing-worker.service') billingStarted(rec);
  else if (unit === 'kubelet.service') kubeletStarted(rec);
  else if (unit === 'containerd.service') containerRuntimeStarted(rec, 'k8s');
  else if (unit === 'docker.service') containerRuntimeStarted(rec, 'docker');
}

function journald(rec: Recorder, message: string, messageId?: string): void {
  const source = rec.daemon('systemd-journald.service', 'journal', 'systemd-journald', {
    uid: 0,
    gid: 0,
    comm: 'systemd-journal',
    exe: '/usr/lib/systemd/systemd-journald',
    cmdline: '/lib/systemd/systemd-journald',
  });
  rec.entry(source, 6, message, messageId === undefined ? undefined : { MESSAGE_ID: messageId });
}

function sshdListener(rec: Recorder, message: string): void {
  const source = rec.daemon(
    'ssh.service',
    'syslog',
    'sshd',
    {
      uid: 0,
      gid: 0,
      comm: 'sshd',
      exe: '/usr/sbin/sshd',
      cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    },
    4,
  );
  rec.entry(source, 6, message);
}

/**
 * The current host goes down for a reboot: everything it had scheduled dies with it. The caller
 * brings it back with `boot` after a while.
 */
export function shutdown(rec: Recorder): void {
  const host = rec.host;
  host.epoch++;
  const services = [...BASE_SERVICES, ...ROLE_SERVICES[host.role]].reverse();
  const logind = rec.daemon('systemd-logind.service', 'journal', 'systemd-logind', {
    uid: 0,
    gid: 0,
    comm: 'systemd-logind',
    exe: '/usr/lib/systemd/systemd-logind',
    cmdline: '/lib/systemd/systemd-logind',
  });
  rec.entry(logind, 6, 'The system will reboot now!', { MESSAGE_ID: '9fa9d2c012134ec385451ffe316f97d0' });
  rec.entry(logind, 6, 'System is rebooting.');
  systemd(rec, 'jobStopped', 'multi-user.target', 'Stopped target Multi-User System.');
  for (const { unit, description } of services) {
    systemd(rec, 'jobStop', unit, `Stopping ${description}...`);
    if (unit === 'postgresql@15-main.service') postgresShutdown(rec);
    if (unit === 'ssh.service') sshdListener(rec, 'Received signal 15; terminating.');
    systemd(rec, 'success', unit, `${unit}: Deactivated successfully.`);
    systemd(rec, 'jobStopped', unit, `Stopped ${description}.`);
  }
  systemd(rec, 'jobStopped', 'network.target', 'Stopped target Network.');
  systemd(rec, 'target', 'shutdown.target', 'Reached target System Shutdown.');
  systemd(rec, 'target', 'final.target', 'Reached target Late Shutdown Services.');
  systemd(rec, 'target', 'systemd-reboot.service', 'Finished System Reboot.');
  systemd(rec, 'target', 'reboot.target', 'Reached target System Reboot.');
  journald(rec, 'Journal stopped', 'd93fb3c9c24d451a97cea615ce59c00b');
}

// prettier-ignore
const KERNEL_RING = [
  'Linux version 6.1.0-21-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03)',
  'Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-21-amd64 root=UUID=%ROOT% ro console=tty0 console=ttyS0,115200 quiet',
  'BIOS-provided physical RAM map:',
  'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
  'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
  'BIOS-e820: [mem 0x0000000000100000-0x00000000bffdafff] usable',
  'NX (Execute Disable) protection: active',
  'DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014',
  'Hypervisor detected: KVM',
  'kvm-clock: Using msrs 4b564d01 and 4b564d00',
  'tsc: Detected 2294.608 MHz processor',
  'Memory: 16318652K/16776692K available (14336K kernel code, 2334K rwdata, 9140K rodata, 2800K init, 17404K bss, 457780K reserved, 0K cma-reserved)',
  'smpboot: CPU0: Intel Xeon Processor (Icelake) (family: 0x6, model: 0x6a, stepping: 0x0)',
  'smp: Brought up 1 node, 4 CPUs',
  'NET: Registered PF_INET protocol family',
  'Freeing unused kernel image (initmem) memory: 2800K',
  'Run /init as init process',
  'virtio_blk virtio2: [vda] 41943040 512-byte logical blocks (21.5 GB/20.0 GiB)',
  ' vda: vda1 vda14 vda15',
  'EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.',
  "systemd[1]: Inserted module 'autofs4'",
  'EXT4-fs (vda1): re-mounted. Quota mode: none.',
  'input: Power Button as /devices/LNXSYSTM:00/LNXPWRBN:00/input/input0',
  'RAPL PMU: API unit is 2^-32 Joules, 0 fixed counters, 10737418240 ms ovfl timer',
];

/**
 * The current host comes back up: a new boot id, the monotonic clock from zero, fresh pids and
 * invocations for every unit, and the whole start-up sequence over the next few seconds.
 */
export function boot(rec: Recorder, downSinceUs: number): void {
  const random = rec.random;
  const host = rec.host;
  const kernelUs = random.int(1_500_000, 3_000_000);
  host.bootId = random.hex(32);
  host.bootUs = rec.clockUs - kernelUs;
  host.services.clear();
  host.invocations.clear();
  host.sessions.clear();
  host.restarts.clear();
  const root = `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
  const kernel = rec.kernel();
  for (const line of KERNEL_RING)
    rec.entry(kernel, line.startsWith('Linux') ? 5 : 6, line.replace('%ROOT%', root));
  const announce = (message: string) => rec.entry(pid1(rec), 6, message);
  announce(
    'systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)',
  );
  announce('Detected virtualization kvm.');
  announce('Detected architecture x86-64.');
  announce(`Hostname set to <${host.name}>.`);
  systemd(rec, 'target', 'multi-user.target', 'Queued start job for default target Multi-User System.');
  journald(rec, 'Journal started', 'f77379a8490b408bbe5f6940505a777b');
  journald(rec, `Runtime Journal (/run/log/journal/${host.machineId}) is 8.0M, max 78.4M, 70.4M free.`);
  journald(
    rec,
    `System Journal (/var/log/journal/${host.machineId}) is ${random.int(400, 3900)}.0M, max 4.0G.`,
  );
  journald(rec, 'Received client request to flush runtime journal.');
  const services = [...BASE_SERVICES, ...ROLE_SERVICES[host.role]];
  let delay = random.int(200_000, 600_000);
  for (const { unit, description } of services) {
    delay += random.int(20_000, 700_000);
    rec.later(delay, () => {
      systemd(rec, 'jobStart', unit, `Starting ${description}...`);
      if (unit === 'ssh.service') {
        sshdListener(rec, 'Server listening on 0.0.0.0 port 22.');
        sshdListener(rec, 'Server listening on :: port 22.');
      }
      if (unit === 'postgresql@15-main.service') postgresStartup(rec, downSinceUs, true);
      else serviceStarted(rec, unit);
      systemd(rec, 'jobDone', unit, `Started ${description}.`);
    });
  }
  rec.later(delay + random.int(10_000, 300_000), () => {
    systemd(rec, 'target', 'multi-user.target', 'Reached target Multi-User System.');
    const userspaceUs = delay + random.int(300_000, 900_000);
    rec.entry(
      pid1(rec),
      6,
      `Startup finished in ${(kernelUs / SECOND).toFixed(3)}s (kernel) + ${(userspaceUs / SECOND).toFixed(3)}s (userspace) = ${((kernelUs + userspaceUs) / SECOND).toFixed(3)}s.`,
      {
        CODE_FILE: 'src/core/manager.c',
        CODE_LINE: '3533',
        CODE_FUNC: 'manager_notify_finished',
        MESSAGE_ID: 'b07a249cd024414a82dd00cd181378ff',
        KERNEL_USEC: String(kernelUs),
        USERSPACE_USEC: String(userspaceUs),
      },
    );
  });
}

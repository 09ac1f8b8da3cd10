// Realistic journald messages from common units, each case with the template a person would write.
// Messages of one case must share one template; different cases must not.

export interface TemplateCase {
  unit: string;
  template: string;
  messages: string[];
}

export const JOURNALD_CASES: TemplateCase[] = [
  {
    unit: 'sshd',
    template: 'Accepted publickey for <*> from <*> port <*> ssh2: <*> SHA256:<*>',
    messages: [
      'Accepted publickey for alice from 192.168.1.20 port 50522 ssh2: RSA SHA256:q3bZq5nS0f7tV8xJm2cW1yR4uH6kP9dL',
      'Accepted publickey for deploy from 10.20.0.14 port 41876 ssh2: ED25519 SHA256:Yk2mC8pL0vR3sT6wX9zA1bD4eF7gH2jN',
      'Accepted publickey for bob from 2001:db8::17 port 60112 ssh2: ECDSA SHA256:M4nB7vC1xZ5qW8eR2tY6uI9oP3aS0dF',
    ],
  },
  {
    unit: 'sshd',
    template: 'Failed password for <*> from <*> port <*> ssh2',
    messages: [
      'Failed password for root from 203.0.113.7 port 40022 ssh2',
      'Failed password for alice from 198.51.100.23 port 55312 ssh2',
      'Failed password for root from 203.0.113.91 port 33118 ssh2',
    ],
  },
  {
    unit: 'sshd',
    template: 'Failed password for invalid user <*> from <*> port <*> ssh2',
    messages: [
      'Failed password for invalid user admin from 203.0.113.7 port 40024 ssh2',
      'Failed password for invalid user oracle from 45.33.12.8 port 51990 ssh2',
      'Failed password for invalid user test from 203.0.113.7 port 40030 ssh2',
    ],
  },
  {
    unit: 'sshd',
    template: 'Invalid user <*> from <*> port <*>',
    messages: [
      'Invalid user admin from 203.0.113.7 port 40024',
      'Invalid user ubnt from 185.220.101.4 port 60433',
      'Invalid user postgres from 45.33.12.8 port 51988',
    ],
  },
  {
    unit: 'sshd',
    template: 'Connection closed by authenticating user <*> <*> port <*> [preauth]',
    messages: [
      'Connection closed by authenticating user root 203.0.113.9 port 41200 [preauth]',
      'Connection closed by authenticating user git 198.51.100.4 port 39144 [preauth]',
    ],
  },
  {
    unit: 'sshd',
    template: 'pam_unix(sshd:session): session opened for user <*>(uid=<*>) by (uid=<*>)',
    messages: [
      'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)',
      'pam_unix(sshd:session): session opened for user deploy(uid=1002) by (uid=0)',
      'pam_unix(sshd:session): session opened for user www-data(uid=33) by (uid=0)',
    ],
  },
  {
    unit: 'sshd',
    template: 'pam_unix(sshd:session): session closed for user <*>',
    messages: [
      'pam_unix(sshd:session): session closed for user alice',
      'pam_unix(sshd:session): session closed for user deploy',
    ],
  },
  {
    unit: 'systemd',
    template: '<*>: Deactivated successfully.',
    messages: [
      'nginx.service: Deactivated successfully.',
      'session-42.scope: Deactivated successfully.',
      'user@1000.service: Deactivated successfully.',
      'logrotate.service: Deactivated successfully.',
    ],
  },
  {
    unit: 'systemd',
    template: '<*>: Main process exited, code=<*>, status=<*>',
    messages: [
      'postgresql@15-main.service: Main process exited, code=exited, status=1/FAILURE',
      'myapp.service: Main process exited, code=exited, status=2/INVALIDARGUMENT',
      'myapp.service: Main process exited, code=killed, status=9/KILL',
      'backup.service: Main process exited, code=dumped, status=11/SEGV',
    ],
  },
  {
    unit: 'systemd',
    template: "<*>: Failed with result '<*>'.",
    messages: [
      "myapp.service: Failed with result 'exit-code'.",
      "backup.service: Failed with result 'signal'.",
      "certbot.service: Failed with result 'timeout'.",
    ],
  },
  {
    unit: 'systemd',
    template: '<*>: Consumed <*> CPU time.',
    messages: [
      'logrotate.service: Consumed 1.203s CPU time.',
      'apt-daily.service: Consumed 12.5s CPU time.',
      'fstrim.service: Consumed 45ms CPU time.',
    ],
  },
  {
    unit: 'systemd',
    template: '<*>: Scheduled restart job, restart counter is at <*>.',
    messages: [
      'myapp.service: Scheduled restart job, restart counter is at 1.',
      'myapp.service: Scheduled restart job, restart counter is at 2.',
      'worker@3.service: Scheduled restart job, restart counter is at 17.',
    ],
  },
  {
    unit: 'systemd-logind',
    template: 'New session <*> of user <*>.',
    messages: [
      'New session 42 of user alice.',
      'New session 43 of user deploy.',
      'New session c1 of user gdm.',
    ],
  },
  {
    unit: 'kernel',
    template:
      'Out of memory: Killed process <*> (<*>) total-vm:<*>, anon-rss:<*>, file-rss:<*>, shmem-rss:<*>, UID:<*> pgtables:<*> oom_score_adj:<*>',
    messages: [
      'Out of memory: Killed process 31337 (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:8912kB oom_score_adj:0',
      'Out of memory: Killed process 2211 (postgres) total-vm:2345678kB, anon-rss:1234567kB, file-rss:1024kB, shmem-rss:65536kB, UID:115 pgtables:3120kB oom_score_adj:-900',
    ],
  },
  {
    unit: 'kernel',
    template:
      '[UFW BLOCK] IN=<*> OUT= MAC=<*> SRC=<*> DST=<*> LEN=<*> TOS=<*> PREC=<*> TTL=<*> ID=<*> PROTO=TCP SPT=<*> DPT=<*> WINDOW=<*> RES=<*> SYN URGP=<*>',
    messages: [
      '[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=185.220.101.4 DST=10.0.0.5 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=44123 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0',
      '[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=45.33.12.8 DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=241 ID=1203 PROTO=TCP SPT=51990 DPT=3389 WINDOW=65535 RES=0x00 SYN URGP=0',
    ],
  },
  {
    unit: 'kernel',
    template: 'EXT4-fs (<*>): mounted filesystem with ordered data mode. Quota mode: none.',
    messages: [
      'EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.',
      'EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none.',
    ],
  },
  {
    unit: 'kernel',
    template: '<*> <*> <*>: NIC Link is Up <*> Mbps Full Duplex, Flow Control: <*>',
    messages: [
      'e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
      'igb 0000:03:00.0 enp3s0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX',
    ],
  },
  {
    unit: 'kernel',
    template: 'usb <*>-<*>: new high-speed USB device number <*> using <*>',
    messages: [
      'usb 1-1: new high-speed USB device number 3 using xhci_hcd',
      'usb 2-4: new high-speed USB device number 7 using ehci-pci',
    ],
  },
  {
    unit: 'CRON',
    template: 'pam_unix(cron:session): session opened for user <*>(uid=<*>) by (uid=<*>)',
    messages: [
      'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      'pam_unix(cron:session): session opened for user www-data(uid=33) by (uid=0)',
    ],
  },
  {
    unit: 'nginx',
    template: '<*> - - [<*> <*>] "<*> <*> HTTP/<*>" <*> <*> "<*>" "<*>"',
    messages: [
      '203.0.113.7 - - [01/May/2024:10:15:00 +0000] "GET /index.html HTTP/1.1" 200 612 "-" "Mozilla/5.0"',
      '198.51.100.4 - - [01/May/2024:10:15:02 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 1532 "-" "curl/8.5.0"',
      '198.51.100.4 - - [01/May/2024:10:15:03 +0000] "POST /api/v1/login HTTP/1.1" 401 57 "-" "curl/8.5.0"',
    ],
  },
  {
    unit: 'nginx',
    template:
      '<*> <*> [error] <*>#<*>: *<*> connect() failed (<*>: Connection refused) while connecting to upstream, client: <*>, server: <*>, request: "GET <*> HTTP/<*>", upstream: "<*>", host: "<*>"',
    messages: [
      '2024/05/01 10:15:09 [error] 1234#1234: *56 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /api/ HTTP/1.1", upstream: "http://127.0.0.1:8080/api/", host: "example.com"',
      '2024/05/01 10:16:44 [error] 1234#1234: *91 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.4, server: example.com, request: "GET /health HTTP/1.1", upstream: "http://127.0.0.1:8080/health", host: "example.com"',
    ],
  },
  {
    unit: 'postgres',
    template: '<*> <*> UTC [<*>] LOG: checkpoint starting: time',
    messages: [
      '2024-05-01 10:15:00.123 UTC [2211] LOG:  checkpoint starting: time',
      '2024-05-01 10:20:00.456 UTC [2211] LOG:  checkpoint starting: time',
    ],
  },
  {
    unit: 'postgres',
    template: '<*> <*> UTC [<*>] FATAL: password authentication failed for user "<*>"',
    messages: [
      '2024-05-01 10:16:02.001 UTC [4410] FATAL:  password authentication failed for user "app"',
      '2024-05-01 10:16:09.310 UTC [4415] FATAL:  password authentication failed for user "report"',
    ],
  },
  {
    unit: 'postgres',
    template:
      '<*> <*> UTC [<*>] LOG: checkpoint complete: wrote <*> buffers (<*>%); <*> WAL file(s) added, <*> removed, <*> recycled; write=<*> s, sync=<*> s, total=<*> s; sync files=<*>, longest=<*> s, average=<*> s; distance=<*> kB, estimate=<*> kB',
    messages: [
      '2024-05-01 10:20:31.842 UTC [2211] LOG:  checkpoint complete: wrote 1234 buffers (7.5%); 0 WAL file(s) added, 0 removed, 1 recycled; write=269.9 s, sync=0.011 s, total=270.0 s; sync files=50, longest=0.002 s, average=0.001 s; distance=10234 kB, estimate=11020 kB',
      '2024-05-01 10:25:31.101 UTC [2211] LOG:  checkpoint complete: wrote 88 buffers (0.5%); 0 WAL file(s) added, 0 removed, 0 recycled; write=8.8 s, sync=0.004 s, total=8.9 s; sync files=12, longest=0.001 s, average=0.001 s; distance=812 kB, estimate=10999 kB',
    ],
  },
  {
    unit: 'kubelet',
    template:
      'I0501 <*> <*> prober.go:<*>] "Probe failed" probeType=<*> pod=<*> podUID=<*> containerName=<*> probeResult=<*> output="Get \\"<*>": dial tcp <*>: connect: connection refused"',
    messages: [
      'I0501 10:15:00.123456    1234 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-7d4b9c6f5-x2k8p" podUID="3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" containerName="web" probeResult="failure" output="Get \\"http://10.244.1.17:8080/ready\\": dial tcp 10.244.1.17:8080: connect: connection refused"',
      'I0501 10:15:10.654321    1234 prober.go:107] "Probe failed" probeType="Readiness" pod="default/api-5f6d7c8b9-abcde" podUID="7a8b9c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d" containerName="api" probeResult="failure" output="Get \\"http://10.244.2.9:9000/ready\\": dial tcp 10.244.2.9:9000: connect: connection refused"',
    ],
  },
  {
    unit: 'systemd',
    template: 'Stopped <*> - A high performance web server and a reverse proxy server.',
    messages: ['Stopped nginx.service - A high performance web server and a reverse proxy server.'],
  },
  {
    unit: 'systemd',
    template: 'Stopped <*> - PostgreSQL RDBMS.',
    messages: ['Stopped postgresql.service - PostgreSQL RDBMS.'],
  },
  {
    unit: 'dhclient',
    template: 'DHCPREQUEST for <*> on <*> to <*> port <*>',
    messages: [
      'DHCPREQUEST for 10.0.0.5 on eth0 to 10.0.0.1 port 67',
      'DHCPREQUEST for 192.168.1.33 on wlan0 to 192.168.1.1 port 67',
    ],
  },
  {
    unit: 'kernel',
    template:
      'audit: type=<*> audit(<*>:<*>): apparmor=<*> operation=<*> profile=<*> name=<*> pid=<*> comm=<*> requested_mask=<*> denied_mask=<*> fsuid=<*> ouid=<*>',
    messages: [
      'audit: type=1400 audit(1714558500.123:42): apparmor="DENIED" operation="open" profile="snap.firefox.firefox" name="/proc/1234/mountinfo" pid=1234 comm="firefox" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000',
      'audit: type=1400 audit(1714558511.456:43): apparmor="DENIED" operation="open" profile="snap.chromium.chromium" name="/sys/devices/pci0000:00/0000:00:02.0/drm/card0/gt_cur_freq_mhz" pid=4321 comm="chrome" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000',
    ],
  },
];

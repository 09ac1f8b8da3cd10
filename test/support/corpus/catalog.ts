/** The fixed vocabulary of the simulated fleet: roles, people, addresses, images, systemd's catalog. */

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Role = 'web' | 'k8s' | 'db' | 'worker' | 'ci' | 'dev';

export const ROLE_ROTATION: Role[] = [
  'web',
  'k8s',
  'db',
  'web',
  'k8s',
  'worker',
  'ci',
  'k8s',
  'dev',
  'web',
  'k8s',
  'worker',
];
export const ROLE_HOSTNAME: Record<Role, string> = {
  web: 'web',
  k8s: 'k8s-node',
  db: 'db',
  worker: 'worker',
  ci: 'ci-runner',
  dev: 'dev-ws',
};

export const TEAM = [
  { name: 'alice', uid: 1000 },
  { name: 'bob', uid: 1001 },
  { name: 'deploy', uid: 1002 },
  { name: 'ansible', uid: 1003 },
  { name: 'carol', uid: 1004 },
] as const;
export interface Member {
  readonly name: string;
  readonly uid: number;
}

// prettier-ignore
export const SCANNED_USERS = [
  'root', 'admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'guest', 'ftpuser', 'pi', 'support', 'git',
  'mysql', 'hadoop', 'debian', 'nagios', 'minecraft', 'steam', 'teamspeak', 'jenkins', 'ansible', 'centos',
  'ec2-user', 'test1', 'www', 'web', 'backup', 'dev', 'demo', 'odoo', 'es', 'elastic', 'zabbix', 'sol', 'solana',
];

// prettier-ignore
export const SCANNER_FIRST_OCTETS = [
  27, 36, 43, 45, 58, 59, 61, 101, 103, 104, 106, 110, 112, 115, 117, 119, 122, 124, 139, 141, 150, 159, 161, 165,
  170, 175, 178, 180, 182, 183, 185, 190, 193, 194, 195, 196, 202, 206, 209, 210, 211, 218, 220, 221, 222,
];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.53 Mobile Safari/537.36',
  'okhttp/4.12.0',
  'Go-http-client/1.1',
  'python-requests/2.31.0',
  'curl/7.88.1',
  'kube-probe/1.29',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 zgrab/0.x',
];

// prettier-ignore
export const PROBED_PATHS = [
  '/.env', '/wp-login.php', '/xmlrpc.php', '/.git/config', '/phpmyadmin/', '/admin/config.php', '/cgi-bin/luci',
  '/actuator/health', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/boaform/admin/formLogin',
];

export const CONTAINER_IMAGES = [
  'registry.example.com/shop/orders-api:2.14.3',
  'registry.example.com/shop/web-frontend:5.2.0',
  'registry.example.com/shop/billing-worker:1.9.1',
  'docker.io/library/redis:7.2.4',
  'quay.io/prometheus/node-exporter:v1.8.1',
  'registry.k8s.io/coredns/coredns:v1.11.1',
  'docker.io/grafana/promtail:2.9.8',
];
export const POD_APPS = [
  'orders-api',
  'web-frontend',
  'billing-worker',
  'redis',
  'node-exporter',
  'coredns',
  'promtail',
];

export interface Victim {
  unit: string;
  comm: string;
  exe: string;
}

/** The process that an OOM kill or a segfault hits, by host role. */
export const VICTIMS: Record<Role, Victim> = {
  web: { unit: 'orders-api.service', comm: 'node', exe: '/usr/bin/node' },
  k8s: { unit: 'containerd.service', comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2' },
  db: { unit: 'postgresql@15-main.service', comm: 'postgres', exe: '/usr/lib/postgresql/15/bin/postgres' },
  worker: { unit: 'billing-worker.service', comm: 'python3', exe: '/usr/bin/python3.11' },
  ci: { unit: 'docker.service', comm: 'dockerd', exe: '/usr/bin/dockerd' },
  dev: { unit: 'user@1004.service', comm: 'gnome-shell', exe: '/usr/bin/gnome-shell' },
};

/** Where systemd (v252) logs its common messages from, and the catalog ids they carry. */
export const SD = {
  jobStart: ['src/core/job.c', '581', 'job_log_begin_status_message', '7d4958e842da4a758f6c1cdc7b36dcc5'],
  jobDone: ['src/core/job.c', '768', 'job_emit_done_message', '39f53479d3a045ac8e11786248231fbf'],
  jobStop: ['src/core/job.c', '581', 'job_log_begin_status_message', 'de5b426a63be47a7b6ac3eaac82e2f6f'],
  jobStopped: ['src/core/job.c', '768', 'job_emit_done_message', '9d1aaa27d60140bd96365438aad20286'],
  success: ['src/core/unit.c', '5553', 'unit_log_success', '7ad2d189f7e94e70a38c781354912448'],
  resources: ['src/core/unit.c', '2398', 'unit_log_resources', 'ae8f7b866b0347b9af31fe1c80b127c0'],
  exited: ['src/core/unit.c', '5604', 'unit_log_process_exit', '98e322203f7a4ed290d09fe03c09fe15'],
  failure: ['src/core/unit.c', '5568', 'unit_log_failure', 'd9b373ed55a64feb8242e02dbe79a49c'],
  restart: ['src/core/service.c', '2409', 'service_enter_restart', '5eb03494b6584870a536b337290809b3'],
  oom: ['src/core/unit.c', '3760', 'unit_check_oom', 'fe6faa94e7774663a0da52717891d8ef'],
  target: ['src/core/job.c', '768', 'job_emit_done_message', '39f53479d3a045ac8e11786248231fbf'],
} as const;
export type SdMessage = keyof typeof SD;

export interface TimerUnit {
  unit: string;
  description: string;
  periodUs: number;
  cpu: [number, number];
  roles?: Role[];
}

// prettier-ignore
export const TIMERS: TimerUnit[] = [
  { unit: 'sysstat-collect.service', description: 'system activity accounting tool', periodUs: 10 * MINUTE, cpu: [5, 30] },
  { unit: 'logrotate.service', description: 'Rotate log files', periodUs: DAY, cpu: [80, 900] },
  { unit: 'man-db.service', description: 'Daily man-db regeneration', periodUs: DAY, cpu: [200, 4000] },
  { unit: 'apt-daily.service', description: 'Daily apt download activities', periodUs: 12 * HOUR, cpu: [400, 9000] },
  { unit: 'systemd-tmpfiles-clean.service', description: 'Cleanup of Temporary Directories', periodUs: DAY, cpu: [5, 40] },
  { unit: 'certbot.service', description: 'Certbot', periodUs: 12 * HOUR, cpu: [300, 2500], roles: ['web'] },
  { unit: 'phpsessionclean.service', description: 'Clean php session files', periodUs: 30 * MINUTE, cpu: [10, 60], roles: ['web'] },
  { unit: 'e2scrub_all.service', description: 'Online ext4 Metadata Check for All Filesystems', periodUs: 7 * DAY, cpu: [20, 200] },
  { unit: 'fstrim.service', description: 'Discard unused blocks on filesystems from /etc/fstab', periodUs: 7 * DAY, cpu: [30, 300] },
];

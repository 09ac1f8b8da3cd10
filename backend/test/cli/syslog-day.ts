const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day of routine syslog from one host, with two incidents a person would want to see. */
export function syslogDay(): string {
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const stamp = (ms: number) => {
    const date = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  };
  const routine = [
    () => `CRON[${1000 + Math.floor(random() * 9000)}]: (root) CMD (/usr/lib/sysstat/sa1 1 1)`,
    () =>
      `sshd[${2000 + Math.floor(random() * 9000)}]: Accepted publickey for deploy from 10.0.${Math.floor(random() * 4)}.${10 + Math.floor(random() * 20)} port ${40000 + Math.floor(random() * 20000)} ssh2`,
    () => `systemd[1]: Started Session ${Math.floor(random() * 90000)} of User deploy.`,
    () =>
      `nginx[812]: 10.0.1.${Math.floor(random() * 50)} - - "GET /api/orders/${Math.floor(random() * 99999)} HTTP/1.1" 200 ${Math.floor(random() * 5000)}`,
  ];
  const lines: string[] = [];
  const start = Date.UTC(2026, 2, 2, 0, 0, 0);
  for (let ms = start; ms < start + 24 * 3_600_000; ms += 2000 + Math.floor(random() * 4000)) {
    lines.push(`${stamp(ms)} app-1 ${routine[Math.floor(random() * routine.length)]?.()}`);
  }
  const at = (hour: number, minute: number) => start + hour * 3_600_000 + minute * 60_000;
  lines.push(
    `${stamp(at(3, 12))} app-1 sshd[31337]: Accepted password for root from 203.0.113.66 port 51515 ssh2`,
  );
  lines.push(
    `${stamp(at(14, 40))} app-1 kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB, anon-rss:6123456kB`,
  );
  return lines.sort().join('\n') + '\n';
}

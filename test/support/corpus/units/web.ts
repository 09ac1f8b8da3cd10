/** A web host: nginx access and error logs, and the orders API (pino JSON on stdout). */
import { PROBED_PATHS, USER_AGENTS } from '../catalog.ts';
import { weighted } from '../random.ts';
import type { Recorder, Source } from '../recorder.ts';
import { pad2 } from '../time-text.ts';

function requestPath(rec: Recorder): string {
  const random = rec.random;
  const roll = random.next();
  if (roll < 0.35) return `/api/v1/orders/${random.int(100_000, 999_999)}`;
  if (roll < 0.5)
    return `/api/v1/products?category=${random.pick(['shoes', 'bags', 'hats', 'coats'])}&page=${random.int(1, 30)}`;
  if (roll < 0.62) return `/static/js/app.${random.hex(8)}.js`;
  if (roll < 0.7) return `/api/v1/users/${random.int(1000, 99_999)}/cart`;
  if (roll < 0.78) return '/healthz';
  if (roll < 0.84)
    return `/images/products/${random.int(1000, 9999)}-${random.pick(['thumb', 'large'])}.webp`;
  if (roll < 0.9) return '/login';
  if (roll < 0.95) return random.pick(PROBED_PATHS);
  return random.pick(['/', '/favicon.ico', '/robots.txt', '/sitemap.xml']);
}

function nginxWorker(rec: Recorder): Source {
  const worker = rec.random.int(0, 1);
  return rec.source(`nginx.service#${worker}`, () => ({
    transport: 'syslog',
    identifier: 'nginx',
    facility: 23,
    unit: 'nginx.service',
    process: {
      pid: rec.newPid(rec.host),
      uid: 33,
      gid: 33,
      comm: 'nginx',
      exe: '/usr/sbin/nginx',
      cmdline: 'nginx: worker process',
    },
  }));
}

export function nginxAccess(rec: Recorder): void {
  const random = rec.random;
  const path = requestPath(rec);
  const probing = PROBED_PATHS.includes(path);
  const method =
    path.includes('/cart') || path === '/login'
      ? random.pick(['GET', 'POST', 'POST', 'PUT'])
      : random.chance(0.97)
        ? 'GET'
        : random.pick(['HEAD', 'OPTIONS', 'POST']);
  const status = probing ? random.pick([404, 404, 404, 403, 400]) : random.weighted(STATUS_TABLE);
  const bytes =
    status === 304 || status === 204 ? 0 : Math.round(random.logNormal(status >= 400 ? 180 : 2400, 1.3));
  const client =
    probing || random.chance(0.25)
      ? rec.scannerIp()
      : `${random.int(1, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  const referer = random.chance(0.6)
    ? '-'
    : `https://shop.example.com${random.pick(['/', '/cart', '/products', '/checkout'])}`;
  rec.entry(
    nginxWorker(rec),
    6,
    `${client} - - [${rec.time.nginxAccess(rec.clockUs)}] "${method} ${path} HTTP/${random.chance(0.7) ? '1.1' : '2.0'}" ${status} ${bytes} "${referer}" "${probing ? random.pick(USER_AGENTS.slice(-4)) : random.pickSkewed(USER_AGENTS)}"`,
  );
}

// prettier-ignore
const STATUS_TABLE = weighted<number>([
  [200, 80], [304, 6], [301, 2], [302, 2], [201, 2], [204, 1.5], [400, 1], [401, 1], [403, 0.5],
  [404, 3], [499, 0.4], [500, 0.2], [502, 0.2], [503, 0.1], [504, 0.1],
]);

export function nginxError(rec: Recorder): void {
  const random = rec.random;
  const client = random.chance(0.5) ? rec.scannerIp() : rec.internalIp();
  const connection = random.int(10_000, 9_000_000);
  const request = `${random.chance(0.9) ? 'GET' : 'POST'} ${requestPath(rec)} HTTP/1.1`;
  const upstream = `http://127.0.0.1:${random.pick([3000, 3001])}`;
  const roll = random.next();
  const worker = nginxWorker(rec);
  const prefix = `${rec.time.nginxError(rec.clockUs)} [%LEVEL%] ${worker.pid}#${worker.pid}: *${connection}`;
  const tail = `client: ${client}, server: shop.example.com, request: "${request}"`;
  if (roll < 0.35) {
    rec.entry(
      worker,
      3,
      `${prefix.replace('%LEVEL%', 'error')} open() "/var/www/shop${random.pick(PROBED_PATHS)}" failed (2: No such file or directory), ${tail}, host: "shop.example.com"`,
    );
  } else if (roll < 0.6) {
    rec.entry(
      worker,
      3,
      `${prefix.replace('%LEVEL%', 'error')} connect() failed (111: Connection refused) while connecting to upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
    );
  } else if (roll < 0.8) {
    rec.entry(
      worker,
      3,
      `${prefix.replace('%LEVEL%', 'error')} upstream timed out (110: Connection timed out) while reading response header from upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
    );
  } else {
    rec.entry(
      worker,
      4,
      `${prefix.replace('%LEVEL%', 'warn')} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${random.int(1, 9)}/${pad2(random.int(0, 99))}/00000${random.int(10_000, 99_999)} while reading upstream, ${tail}, upstream: "${upstream}/", host: "shop.example.com"`,
    );
  }
}

function ordersApiSource(rec: Recorder): Source {
  return rec.daemon('orders-api.service', 'stdout', 'orders-api', {
    uid: 998,
    gid: 998,
    comm: 'node',
    exe: '/usr/bin/node',
    cmdline: '/usr/bin/node --enable-source-maps /opt/orders-api/dist/server.js',
  });
}

/** A pino line of the orders API: its fixed head, then `fields` (JSON members, no braces). */
function pinoLine(rec: Recorder, api: Source, level: number, fields: string): string {
  return `{"level":${level},"time":${Math.floor(rec.clockUs / 1000)},"pid":${api.pid},"hostname":"${rec.host.name}",${fields}}`;
}

/** What the orders API prints once it is up again (after a boot, a deploy, a restart). */
export function ordersApiStarted(rec: Recorder): void {
  const api = ordersApiSource(rec);
  rec.entry(api, 6, pinoLine(rec, api, 30, '"msg":"Server listening at http://0.0.0.0:3000"'));
}

export function ordersApi(rec: Recorder): void {
  const random = rec.random;
  const api = ordersApiSource(rec);
  const time = Math.floor(rec.clockUs / 1000);
  const reqId = `req-${random.hex(4)}`;
  const roll = random.next();
  const url = requestPath(rec).replace(/^\/api/, '');
  if (roll < 0.9) {
    const status = random.weighted(STATUS_TABLE);
    const level = status >= 500 ? 50 : status >= 400 ? 40 : 30;
    rec.entry(
      api,
      6,
      `{"level":${level},"time":${time},"pid":${api.pid},"hostname":"${rec.host.name}","reqId":"${reqId}","req":{"method":"${random.chance(0.8) ? 'GET' : 'POST'}","url":"${url}","remoteAddress":"${rec.internalIp()}","remotePort":${random.int(32768, 60999)}},"res":{"statusCode":${status}},"responseTime":${random.logNormal(18, 1).toFixed(3)},"msg":"request completed"}`,
    );
  } else if (roll < 0.96) {
    rec.entry(
      api,
      6,
      `{"level":30,"time":${time},"pid":${api.pid},"hostname":"${rec.host.name}","orderId":${random.int(100_000, 999_999)},"items":${random.int(1, 9)},"totalCents":${random.int(500, 90_000)},"msg":"order created"}`,
    );
  } else if (roll < 0.99) {
    rec.entry(
      api,
      6,
      `{"level":40,"time":${time},"pid":${api.pid},"hostname":"${rec.host.name}","reqId":"${reqId}","cache":"redis","durationMs":${random.int(200, 3000)},"msg":"slow cache lookup"}`,
    );
  } else {
    const db = `10.0.5.${random.int(10, 12)}:5432`;
    rec.entry(
      api,
      6,
      `{"level":50,"time":${time},"pid":${api.pid},"hostname":"${rec.host.name}","reqId":"${reqId}","err":{"type":"Error","message":"connect ECONNREFUSED ${db}","stack":"Error: connect ECONNREFUSED ${db}\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1605:16)","errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"${db.split(':')[0]}","port":5432},"msg":"database query failed"}`,
    );
  }
}

/** Node cannot even load the new release: stderr, one stream entry per line, PRIORITY 6. */
export function ordersApiStartupCrash(rec: Recorder): void {
  const unit = 'orders-api.service';
  rec.host.services.delete(`${unit}#stderr`);
  const stderr = rec.source(`${unit}#stderr`, () => ({
    transport: 'stdout',
    identifier: 'node',
    unit,
    process: {
      pid: rec.newPid(rec.host),
      uid: 998,
      gid: 998,
      comm: 'node',
      exe: '/usr/bin/node',
      cmdline: '/usr/bin/node --enable-source-maps /opt/orders-api/dist/server.js',
    },
  }));
  for (const line of [
    'node:internal/modules/cjs/loader:1148',
    '  throw err;',
    '  ^',
    "Error: Cannot find module '/opt/orders-api/dist/config/payments.js'",
    'Require stack:',
    '- /opt/orders-api/dist/server.js',
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)',
    '    at Module._load (node:internal/modules/cjs/loader:986:27)',
    '    at Module.require (node:internal/modules/cjs/loader:1233:19)',
    '    at require (node:internal/modules/helpers:179:18)',
    '    at Object.<anonymous> (/opt/orders-api/dist/server.js:14:24)',
    "  code: 'MODULE_NOT_FOUND',",
    "  requireStack: [ '/opt/orders-api/dist/server.js' ]",
    '}',
    'Node.js v20.14.0',
  ])
    rec.entry(stderr, 6, line);
}

/** A new release breaks checkout for carts with a gift card: a TypeError nobody has seen before. */
export function ordersApiCheckoutError(rec: Recorder): void {
  const random = rec.random;
  const api = ordersApiSource(rec);
  const stack = [
    "TypeError: Cannot read properties of undefined (reading 'currency')",
    '    at formatTotal (/opt/orders-api/dist/checkout/totals.js:57:38)',
    '    at Array.map (<anonymous>)',
    '    at buildInvoice (/opt/orders-api/dist/checkout/invoice.js:112:27)',
    '    at async Object.checkout (/opt/orders-api/dist/routes/checkout.js:41:19)',
  ].join('\\n');
  rec.entry(
    api,
    6,
    pinoLine(
      rec,
      api,
      50,
      `"reqId":"req-${random.hex(4)}","req":{"method":"POST","url":"/v1/checkout","remoteAddress":"${rec.internalIp()}","remotePort":${random.int(32768, 60999)}},"err":{"type":"TypeError","message":"Cannot read properties of undefined (reading 'currency')","stack":"${stack}"},"msg":"unhandled error while handling request"`,
    ),
  );
}

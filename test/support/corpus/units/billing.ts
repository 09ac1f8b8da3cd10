/** A worker host: the billing worker (Python, logging to the journal with code locations). */
import { SECOND } from '../catalog.ts';
import type { CorpusEntry, Recorder, Source } from '../recorder.ts';
import { countRestart, scheduledRestart, serviceFailed } from './system.ts';

function billingSource(rec: Recorder): Source {
  return rec.daemon('billing-worker.service', 'journal', 'billing-worker', {
    uid: 997,
    gid: 997,
    comm: 'python3',
    exe: '/usr/bin/python3.11',
    cmdline: '/opt/billing/venv/bin/python3 -m billing.worker --queue invoices',
  });
}

export function python(logger: string, file: string, line: number, func: string): CorpusEntry {
  return {
    CODE_FILE: `/opt/billing/venv/lib/python3.11/site-packages/billing/${file}`,
    CODE_LINE: String(line),
    CODE_FUNC: func,
    LOGGER: logger,
    THREAD_NAME: 'MainThread',
    PROCESS_NAME: 'MainProcess',
  };
}

export function billingWorker(rec: Recorder): void {
  const random = rec.random;
  const worker = billingSource(rec);
  const job = random.hex(12);
  const customer = `cus_${random.hex(14)}`;
  const roll = random.next();
  if (roll < 0.6) {
    rec.entry(
      worker,
      6,
      `Charged customer ${customer} amount=${random.logNormal(40, 1).toFixed(2)} EUR invoice=in_${random.hex(16)} in ${Math.round(random.logNormal(350, 0.7))} ms`,
      python('billing.jobs', 'jobs.py', 212, 'charge_invoice'),
    );
  } else if (roll < 0.8) {
    rec.entry(
      worker,
      6,
      `Processing invoice batch ${job} (${random.int(1, 400)} invoices)`,
      python('billing.worker', 'worker.py', 88, 'run_batch'),
    );
  } else if (roll < 0.93) {
    rec.entry(
      worker,
      4,
      `Payment declined for customer ${customer}: card_declined (${random.pick(['insufficient_funds', 'expired_card', 'do_not_honor', 'incorrect_cvc'])})`,
      python('billing.jobs', 'jobs.py', 230, 'charge_invoice'),
    );
  } else if (roll < 0.985) {
    rec.entry(
      worker,
      4,
      `Retrying job ${job} in ${random.pick([5, 10, 30, 60, 120])}s (attempt ${random.int(1, 4)}/5)`,
      python('billing.queue', 'queue.py', 141, 'retry'),
    );
  } else {
    rec.entry(worker, 3, traceback(rec, job), python('billing.worker', 'worker.py', 97, 'run_batch'));
  }
}

/** What the worker logs once it is up again (after a boot, a deploy, a restart). */
export function billingStarted(rec: Recorder): void {
  rec.entry(
    billingSource(rec),
    6,
    'Worker started: queue=invoices concurrency=4 version=3.8.2',
    python('billing.worker', 'worker.py', 51, 'main'),
  );
}

/** A Python traceback: logging's JournalHandler sends it as one multi-line MESSAGE. */
function traceback(rec: Recorder, job: string): string {
  const random = rec.random;
  const timeout = random.chance(0.5);
  return [
    `Job ${job} failed`,
    'Traceback (most recent call last):',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/worker.py", line 91, in run_batch',
    '    result = self.jobs.charge_invoice(invoice)',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/jobs.py", line 208, in charge_invoice',
    '    response = self.gateway.charge(invoice.customer_id, invoice.amount_cents)',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/gateway.py", line 64, in charge',
    '    return self.session.post(self.url, json=payload, timeout=10).json()',
    timeout
      ? "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.payments.example', port=443): Read timed out. (read timeout=10)"
      : `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.payments.example', port=443): Max retries exceeded with url: /v1/charges (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f${random.hex(10)}>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
  ].join('\n');
}

/** A crash loop: the worker dies at start-up and systemd restarts it a few times. */
export function workerCrash(rec: Recorder): void {
  const random = rec.random;
  const unit = 'billing-worker.service';
  const description = 'Billing worker';
  const crashes = random.int(1, 6);
  let delay = 0;
  for (let crash = 0; crash < crashes; crash++) {
    delay += random.int(2 * SECOND, 12 * SECOND);
    rec.later(delay, () => {
      const worker = billingSource(rec);
      rec.entry(
        worker,
        2,
        `Cannot start: ${random.pick(["KeyError: 'PAYMENTS_API_KEY'", 'could not connect to server: Connection refused', 'redis.exceptions.ConnectionError: Error 111 connecting to 10.0.5.20:6379. Connection refused.'])}`,
        python('billing.worker', 'worker.py', 42, 'main'),
      );
      const restarts = countRestart(rec, unit);
      serviceFailed(rec, unit);
      rec.host.services.delete(unit);
      rec.host.invocations.delete(unit);
      rec.later(5 * SECOND, () => {
        scheduledRestart(rec, unit, restarts, description);
      });
    });
  }
}

/**
 * The worker dies before its logging is set up, so Python prints the traceback to stderr: one
 * stream entry per line, at the stream's default PRIORITY 6.
 */
export function billingStartupCrash(rec: Recorder): void {
  const unit = 'billing-worker.service';
  rec.host.services.delete(`${unit}#stderr`);
  const stderr = rec.source(`${unit}#stderr`, () => ({
    transport: 'stdout',
    identifier: 'python3',
    unit,
    process: {
      pid: rec.newPid(rec.host),
      uid: 997,
      gid: 997,
      comm: 'python3',
      exe: '/usr/bin/python3.11',
      cmdline: '/opt/billing/venv/bin/python3 -m billing.worker --queue invoices',
    },
  }));
  for (const line of [
    'Traceback (most recent call last):',
    '  File "<frozen runpy>", line 198, in _run_module_as_main',
    '  File "<frozen runpy>", line 88, in _run_code',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/worker.py", line 212, in <module>',
    '    main()',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/worker.py", line 38, in main',
    '    settings = Settings.from_env()',
    '               ^^^^^^^^^^^^^^^^^^^',
    '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/settings.py", line 27, in from_env',
    '    payments_api_key=os.environ["PAYMENTS_API_KEY"],',
    '                     ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^',
    '  File "<frozen os>", line 679, in __getitem__',
    "KeyError: 'PAYMENTS_API_KEY'",
  ])
    rec.entry(stderr, 6, line);
}

/** A new release cannot price invoices in one currency: each such invoice fails with this traceback. */
export function billingCurrencyError(rec: Recorder): void {
  const random = rec.random;
  const invoice = `in_${random.hex(16)}`;
  rec.entry(
    billingSource(rec),
    3,
    [
      `Invoice ${invoice} failed`,
      'Traceback (most recent call last):',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/worker.py", line 91, in run_batch',
      '    result = self.jobs.charge_invoice(invoice)',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/jobs.py", line 196, in charge_invoice',
      '    amount = Money(invoice.amount_cents, invoice.currency)',
      '  File "/opt/billing/venv/lib/python3.11/site-packages/billing/money.py", line 31, in __init__',
      '    raise ValueError(f"unsupported currency {currency!r}")',
      `ValueError: unsupported currency '${random.pick(['chf', 'CHF ', 'sek'])}'`,
    ].join('\n'),
    python('billing.worker', 'worker.py', 97, 'run_batch'),
  );
}

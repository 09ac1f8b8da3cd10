import http from 'node:http';
import https from 'node:https';
import { hostname as localHostname } from 'node:os';
import { LineSplitter } from '../journal/lines.ts';
import { Backoff } from './backoff.ts';
import { EntryBatcher } from './batcher.ts';
import type { EntrySink } from './sink.ts';

export interface GatewaydSourceOptions {
  /** Base URL of systemd-journal-gatewayd or `lookout agent`, e.g. http://web-1:19531 */
  url: string;
  sink: EntrySink;
  /** Bearer token for agents that require one. */
  token?: string;
  /** Keep the connection open for new entries (`?follow`); false reads what is there and stops. */
  follow?: boolean;
  batchSize?: number;
  flushDelayMs?: number;
  backoff?: Backoff;
  onLog?: (level: 'info' | 'warn', message: string) => void;
}

/**
 * Pulls entries from one agent speaking the systemd-journal-gatewayd protocol: `GET /entries` with
 * `Accept: application/json`, resuming from the stored cursor with `Range: entries=<cursor>` and
 * reconnecting with backoff when the agent goes away.
 */
export class GatewaydSource {
  /** The source's name in the store and the API: the agent's base URL. */
  readonly key: string;
  private request: http.ClientRequest | null = null;
  private batcher: EntryBatcher | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private resolveDone: () => void = () => {};
  private readonly backoff: Backoff;
  private readonly entriesUrl: URL;
  private readonly defaultHost: string;

  constructor(private readonly options: GatewaydSourceOptions) {
    this.entriesUrl = entriesUrl(options.url, options.follow ?? true);
    this.key = this.entriesUrl.origin + this.entriesUrl.pathname.replace(/\/entries$/, '');
    this.backoff = options.backoff ?? new Backoff();
    const host = this.entriesUrl.hostname;
    // Entries without _HOSTNAME get the agent's host name, which for a loopback agent is this host.
    this.defaultHost = ['127.0.0.1', 'localhost', '[::1]'].includes(host) ? localHostname() : host;
  }

  /**
   * Starts pulling. The promise settles when a non-following read has reached the end of the
   * journal, or when stop() is called.
   */
  start(): Promise<void> {
    this.stopped = false;
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.connect();
    return done;
  }

  /** Stops pulling after storing every entry that has arrived whole. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.closeConnection();
    this.resolveDone();
  }

  private connect(): void {
    const resumeFrom = this.options.sink.resumePoint(this.key);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (resumeFrom !== null) headers.Range = `entries=${resumeFrom}`;
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;

    const batcher = new EntryBatcher(this.key, this.options.sink, {
      maxEntries: this.options.batchSize,
      maxDelayMs: this.options.flushDelayMs,
      skipCursor: resumeFrom,
      normalize: { defaultHost: this.defaultHost },
      onFlushError: (error) => this.retry(`cannot store entries: ${error.message}`),
    });
    const splitter = new LineSplitter(batcher);
    const client = this.entriesUrl.protocol === 'https:' ? https : http;
    const request = client.get(this.entriesUrl, { headers });
    this.request = request;
    this.batcher = batcher;

    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        readErrorBody(response, (body) =>
          this.retry(`agent answered HTTP ${response.statusCode}: ${body || response.statusMessage}`),
        );
        return;
      }
      this.options.sink.reportError(this.key, null);
      this.backoff.reset();
      response.on('data', (chunk: Buffer) => {
        try {
          splitter.push(chunk);
        } catch (error) {
          this.retry(`cannot store entries: ${(error as Error).message}`, { keepPending: false });
        }
      });
      response.on('close', () => {
        if (this.request !== request) return;
        if (!response.complete) {
          this.retry('connection to the agent was lost');
          return;
        }
        splitter.end();
        if (this.options.follow === false) {
          this.closeConnection();
          this.stopped = true;
          this.resolveDone();
        } else {
          this.retry('agent ended the stream');
        }
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (this.request === request) this.retry(describeConnectionError(error, this.key));
    });
  }

  /** Ends the current connection, storing what arrived whole unless that is what failed. */
  private closeConnection(options: { keepPending?: boolean } = {}): void {
    const { request, batcher } = this;
    this.request = null;
    this.batcher = null;
    request?.destroy();
    if (batcher === null) return;
    if (options.keepPending === false) {
      batcher.discard();
      return;
    }
    try {
      batcher.flush();
    } catch (error) {
      batcher.discard();
      this.options.onLog?.('warn', `${this.key}: cannot store entries: ${(error as Error).message}`);
    }
  }

  private retry(reason: string, options: { keepPending?: boolean } = {}): void {
    this.closeConnection(options);
    if (this.stopped) return;
    this.options.sink.reportError(this.key, reason);
    const delay = this.backoff.nextDelayMs();
    this.options.onLog?.('warn', `${this.key}: ${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}

function entriesUrl(base: string, follow: boolean): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`source "${base}" is not a URL: give the agent as http://HOST:19531`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `source "${base}" must be the http:// or https:// URL of systemd-journal-gatewayd or lookout agent`,
    );
  }
  if (!url.pathname.endsWith('/entries')) url.pathname = url.pathname.replace(/\/?$/, '/entries');
  // gatewayd takes `follow` as a bare flag.
  if (follow && !url.searchParams.has('follow')) url.search = url.search ? `${url.search}&follow` : '?follow';
  return url;
}

function readErrorBody(response: http.IncomingMessage, done: (body: string) => void): void {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (text: string) => {
    if (body.length < 500) body += text;
  });
  response.on('end', () => done(body.trim().slice(0, 500)));
  response.on('error', () => done(body.trim().slice(0, 500)));
}

function describeConnectionError(error: NodeJS.ErrnoException, key: string): string {
  if (error.code === 'ECONNREFUSED') {
    return `connection refused: is systemd-journal-gatewayd or lookout agent running at ${key}?`;
  }
  if (error.code === 'ENOTFOUND') return `host not found: check the source URL ${key}`;
  return error.message;
}

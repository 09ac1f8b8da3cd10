import http from 'node:http';
import https from 'node:https';
import { hostname as localHostname } from 'node:os';
import { LineSplitter } from '../journal/lines.ts';
import type { NormalizeOptions } from '../journal/normalize.ts';
import type { EntryBatcher } from './batcher.ts';
import { ReconnectingSource } from './reconnecting.ts';
import type { StreamConnection, StreamEvents, StreamSettings } from './reconnecting.ts';

export interface GatewaydSourceOptions extends StreamSettings {
  /** Base URL of systemd-journal-gatewayd or `lookout agent`, e.g. http://web-1:19531 */
  url: string;
  /** Bearer token for agents that require one. */
  token?: string;
  /** Keep the connection open for new entries (`?follow`); false reads what is there and stops. */
  follow?: boolean;
}

/**
 * Pulls entries from one agent speaking the systemd-journal-gatewayd protocol: `GET /entries` with
 * `Accept: application/json`, resuming from the stored cursor with `Range: entries=<cursor>` (which
 * includes that cursor's own entry, so the batcher drops it) and reconnecting with backoff.
 */
export class GatewaydSource extends ReconnectingSource {
  /** The source's name in the store and the API: the agent's base URL. */
  readonly key: string;
  private readonly entriesUrl: URL;
  private readonly defaultHost: string;

  constructor(private readonly options: GatewaydSourceOptions) {
    super(options);
    this.entriesUrl = entriesUrl(options.url, options.follow ?? true);
    this.key = this.entriesUrl.origin + this.entriesUrl.pathname.replace(/\/entries$/, '');
    const host = this.entriesUrl.hostname;
    // Entries without _HOSTNAME get the agent's host name, which for a loopback agent is this host.
    this.defaultHost = ['127.0.0.1', 'localhost', '[::1]'].includes(host) ? localHostname() : host;
  }

  protected override normalizeOptions(): NormalizeOptions {
    return { defaultHost: this.defaultHost };
  }

  protected open(resumeFrom: string | null, batcher: EntryBatcher, events: StreamEvents): StreamConnection {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (resumeFrom !== null) headers.Range = `entries=${resumeFrom}`;
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    const splitter = new LineSplitter(batcher);
    const client = this.entriesUrl.protocol === 'https:' ? https : http;
    const request = client.get(this.entriesUrl, { headers });

    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        readErrorBody(response, (body) =>
          events.failed(`agent answered HTTP ${response.statusCode}: ${body || response.statusMessage}`),
        );
        return;
      }
      events.healthy();
      response.on('data', (chunk: Buffer) => {
        try {
          splitter.push(chunk);
        } catch (error) {
          events.failed(`cannot store entries: ${(error as Error).message}`, { keepPending: false });
        }
      });
      response.on('close', () => {
        if (!response.complete) return events.failed('connection to the agent was lost');
        splitter.end();
        if (this.options.follow === false) events.finished();
        else events.failed('agent ended the stream');
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      events.failed(describeConnectionError(error, this.key)),
    );
    return { close: () => request.destroy() };
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

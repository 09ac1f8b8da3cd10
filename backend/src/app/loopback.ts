import { isIP } from 'node:net';

/** Whether a listen address is reachable only from this machine (no token needed there). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

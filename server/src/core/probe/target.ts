// `HOST[:PORT]` as people type it: `sip.example.com`, `sip.example.com:5061`, `192.0.2.1:5061`,
// `[2001:db8::1]:5061`, or a bare IPv6 literal (then the port cannot be given). A `sips:`/`sip:`
// prefix is accepted because it is what gets copied from a SIP URI.
import { isIP } from 'node:net';
import { DEFAULT_PORT } from './types';

export interface ProbeTarget {
  host: string;
  port: number;
}

/** Parses a target; returns a message instead when it is not one. */
export function parseProbeTarget(input: string): ProbeTarget | string {
  let text = input.trim().replace(/^sips?:/i, '');
  text = text.replace(/;.*$/, '').replace(/^[^@]*@/, '');
  if (text === '') return 'HOST is empty';
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (isIP(host) !== 6) return `'${host}' is not an IPv6 address`;
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const cut = text.lastIndexOf(':');
    host = cut === -1 ? text : text.slice(0, cut);
    portText = cut === -1 ? undefined : text.slice(cut + 1);
    if (host.includes(':')) return `'${input}': write an IPv6 address with a port as [ADDRESS]:PORT`;
    if (isIP(host) === 0 && !/^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(host)) {
      return `'${host}' is not a host name or IP address`;
    }
  }
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return `'${portText}' is not a port (1-65535)`;
    port = Number(portText);
  }
  return { host, port };
}

/** `host:port` for messages and URIs, with brackets around IPv6. */
export function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

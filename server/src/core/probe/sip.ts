// The SIP OPTIONS "ping" sent over the TLS connection, and the reading of its responses. The
// request is what RFC 3261 asks of a real UA (Via with a z9hG4bK branch and rport, Max-Forwards,
// tagged From, Call-ID, CSeq, Contact, Content-Length), so that a strict proxy answers it rather
// than dropping it as malformed.
import { randomBytes } from 'node:crypto';
import { hostPort } from './target';

export interface SipRequest {
  text: string;
  requestLine: string;
  callId: string;
}

export function buildOptions(host: string, port: number, local: { address: string; port: number }, userAgent: string): SipRequest {
  const id = randomBytes(8).toString('hex');
  const target = `sip:${hostPort(host, port)};transport=tls`;
  const me = hostPort(local.address, local.port);
  const localHost = local.address.includes(':') ? `[${local.address}]` : local.address;
  const callId = `${id}@${localHost}`;
  const requestLine = `OPTIONS ${target} SIP/2.0`;
  const text = [
    requestLine,
    `Via: SIP/2.0/TLS ${me};rport;branch=z9hG4bK${id}`,
    'Max-Forwards: 70',
    `To: <${target}>`,
    `From: <sip:probe@${localHost}>;tag=${randomBytes(4).toString('hex')}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:probe@${me};transport=tls>`,
    'Accept: application/sdp',
    `User-Agent: ${userAgent}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return { text, requestLine, callId };
}

export interface SipResponse {
  statusLine: string;
  status: number;
  server?: string;
}

/**
 * Collects bytes and yields complete responses (head plus Content-Length body). Keep-alive CRLFs
 * between messages are skipped.
 */
export class SipResponseReader {
  private buffer = '';

  push(chunk: Buffer): SipResponse[] {
    // SIP heads are ASCII/UTF-8; a body is only skipped, never interpreted.
    this.buffer += chunk.toString('latin1');
    const out: SipResponse[] = [];
    for (;;) {
      this.buffer = this.buffer.replace(/^(\r\n)+/, '');
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) break;
      const head = this.buffer.slice(0, end).split('\r\n');
      const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head.join('\n'))?.[1] ?? 0);
      if (this.buffer.length < end + 4 + length) break;
      this.buffer = this.buffer.slice(end + 4 + length);
      const m = /^SIP\/2\.0\s+(\d{3})(?:\s.*)?$/.exec(head[0] ?? '');
      if (!m) continue;
      const server = head.map((h) => /^(?:server|user-agent)\s*:\s*(.*)$/i.exec(h)?.[1]).find((v) => v !== undefined);
      out.push({ statusLine: head[0]!.trim(), status: Number(m[1]), ...(server ? { server: server.trim() } : {}) });
    }
    return out;
  }

  /** Bytes received that are not a complete message (a guard against a peer that streams junk). */
  get pending(): number {
    return this.buffer.length;
  }
}

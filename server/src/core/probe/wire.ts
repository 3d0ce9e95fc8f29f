// Reads the server's handshake flight from the recorded bytes (tap.ts): the certificates it sent
// and whether it sent a CertificateRequest (with its acceptable CA names). TLS 1.2 sends these in
// the clear; TLS 1.3 encrypts them with the server handshake traffic secret, which Node hands to
// the client in its 'keylog' event, so they are decrypted here (RFC 8446 §5.2, §7.1, §7.3).
// Anything unexpected gives up quietly: the probe then reports "unknown" instead of guessing.
import { createDecipheriv, createHmac } from 'node:crypto';

export interface ServerFlight {
  /** DER of each certificate in the Certificate message, in order; undefined when not seen. */
  certificates?: Buffer[];
  /** true/false once the flight up to the server's Finished/ServerHelloDone was read; undefined = unknown. */
  certificateRequested?: boolean;
  /** DER of each DistinguishedName in certificate_authorities. */
  acceptableCas: Buffer[];
}

const HANDSHAKE = 22;
const CHANGE_CIPHER_SPEC = 20;
const APPLICATION_DATA = 23;
const ALERT = 21;

const MSG = { serverHello: 2, certificate: 11, certificateRequest: 13, serverHelloDone: 14, finished: 20, compressedCertificate: 25 } as const;

const TLS13_SUITES: Record<number, { cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; keyLength: number; hash: 'sha256' | 'sha384' }> = {
  0x1301: { cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' },
};

/** SHA-256("HelloRetryRequest"): the ServerHello.random of a HelloRetryRequest. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

interface Record_ {
  type: number;
  header: Buffer;
  fragment: Buffer;
}

function records(bytes: Buffer): Record_[] {
  const out: Record_[] = [];
  let p = 0;
  while (p + 5 <= bytes.length) {
    const length = bytes.readUInt16BE(p + 3);
    if (p + 5 + length > bytes.length) break;
    out.push({ type: bytes[p]!, header: bytes.subarray(p, p + 5), fragment: bytes.subarray(p + 5, p + 5 + length) });
    p += 5 + length;
  }
  return out;
}

/** Splits a handshake byte stream into complete messages (they may span records). */
function* messages(stream: Buffer): Generator<{ type: number; body: Buffer }> {
  let p = 0;
  while (p + 4 <= stream.length) {
    const length = stream.readUIntBE(p + 1, 3);
    if (p + 4 + length > stream.length) return;
    yield { type: stream[p]!, body: stream.subarray(p + 4, p + 4 + length) };
    p += 4 + length;
  }
}

/** A bounds-checked reader of TLS vectors. */
class Reader {
  constructor(
    private readonly b: Buffer,
    private p = 0,
  ) {}
  u8(): number {
    if (this.p + 1 > this.b.length) throw new RangeError('short');
    return this.b[this.p++]!;
  }
  u16(): number {
    if (this.p + 2 > this.b.length) throw new RangeError('short');
    const v = this.b.readUInt16BE(this.p);
    this.p += 2;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.p + n > this.b.length) throw new RangeError('short');
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }
  vector(lengthBytes: 1 | 2 | 3): Buffer {
    if (this.p + lengthBytes > this.b.length) throw new RangeError('short');
    const n = this.b.readUIntBE(this.p, lengthBytes);
    this.p += lengthBytes;
    return this.bytes(n);
  }
  get done(): boolean {
    return this.p >= this.b.length;
  }
}

interface ServerHello {
  tls13: boolean;
  suite: number;
  retry: boolean;
}

function parseServerHello(body: Buffer): ServerHello {
  const r = new Reader(body);
  r.u16();
  const random = r.bytes(32).toString('hex');
  r.vector(1);
  const suite = r.u16();
  r.u8();
  let tls13 = false;
  if (!r.done) {
    const ext = new Reader(r.vector(2));
    while (!ext.done) {
      const type = ext.u16();
      const data = ext.vector(2);
      if (type === 43 && data.length === 2 && data.readUInt16BE(0) === 0x0304) tls13 = true;
    }
  }
  return { tls13, suite, retry: random === HRR_RANDOM };
}

function parseCertificates(body: Buffer, tls13: boolean): Buffer[] {
  const r = new Reader(body);
  if (tls13) r.vector(1);
  const list = new Reader(r.vector(3));
  const out: Buffer[] = [];
  while (!list.done) {
    out.push(Buffer.from(list.vector(3)));
    if (tls13) list.vector(2);
  }
  return out;
}

/** A DistinguishedName list: `DistinguishedName certificate_authorities<3..2^16-1>`. */
function distinguishedNames(list: Buffer): Buffer[] {
  const r = new Reader(list);
  const out: Buffer[] = [];
  while (!r.done) out.push(Buffer.from(r.vector(2)));
  return out;
}

function parseCertificateRequest(body: Buffer, tls13: boolean): Buffer[] {
  const r = new Reader(body);
  if (tls13) {
    r.vector(1);
    const ext = new Reader(r.vector(2));
    while (!ext.done) {
      const type = ext.u16();
      const data = ext.vector(2);
      if (type === 47) return distinguishedNames(new Reader(data).vector(2));
    }
    return [];
  }
  r.vector(1); // certificate_types
  r.vector(2); // supported_signature_algorithms
  return distinguishedNames(r.vector(2));
}

function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const out: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    previous = createHmac(hash, secret).update(Buffer.concat([previous, info, Buffer.from([i])])).digest();
    out.push(previous);
  }
  return Buffer.concat(out).subarray(0, length);
}

/** Decrypts one TLS 1.3 record; returns the inner content type and content, or undefined. */
function decrypt(record: Record_, key: Buffer, iv: Buffer, seq: number, cipher: string): { type: number; content: Buffer } | undefined {
  if (record.fragment.length < 17) return undefined;
  const nonce = Buffer.from(iv);
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seqBytes[i]!;
  try {
    const d = createDecipheriv(cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
    d.setAAD(record.header);
    d.setAuthTag(record.fragment.subarray(record.fragment.length - 16));
    const plain = Buffer.concat([d.update(record.fragment.subarray(0, record.fragment.length - 16)), d.final()]);
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) return undefined;
    return { type: plain[end - 1]!, content: plain.subarray(0, end - 1) };
  } catch {
    return undefined;
  }
}

/**
 * The server's flight as far as it can be read. `serverHandshakeSecret` is the
 * SERVER_HANDSHAKE_TRAFFIC_SECRET from the keylog (TLS 1.3 only).
 */
export function readServerFlight(bytes: Buffer | undefined, serverHandshakeSecret: Buffer | undefined): ServerFlight {
  const flight: ServerFlight = { acceptableCas: [] };
  if (!bytes) return flight;
  const state: { hello?: ServerHello; done: boolean } = { done: false };
  const take = (stream: Buffer, tls13: boolean): Buffer => {
    let consumed = 0;
    for (const m of messages(stream)) {
      consumed += 4 + m.body.length;
      if (m.type === MSG.serverHello) state.hello = parseServerHello(m.body);
      if (m.type === MSG.certificate) flight.certificates = parseCertificates(m.body, tls13);
      if (m.type === MSG.certificateRequest) {
        flight.certificateRequested = true;
        flight.acceptableCas = parseCertificateRequest(m.body, tls13);
      }
      if ((tls13 && m.type === MSG.finished) || (!tls13 && m.type === MSG.serverHelloDone)) {
        flight.certificateRequested ??= false;
        state.done = true;
        return Buffer.alloc(0);
      }
    }
    return stream.subarray(consumed);
  };
  try {
    let plain: Buffer = Buffer.alloc(0);
    let encrypted: Buffer = Buffer.alloc(0);
    let keys: { key: Buffer; iv: Buffer; cipher: string } | undefined;
    let seq = 0;
    for (const record of records(bytes)) {
      if (state.done) break;
      const hello = state.hello;
      if (record.type === HANDSHAKE) {
        plain = take(Buffer.concat([plain, record.fragment]), false);
        // A HelloRetryRequest is followed by a second ServerHello: keep reading in the clear.
        if (state.hello?.retry) delete state.hello;
        continue;
      }
      if (record.type === CHANGE_CIPHER_SPEC || record.type === ALERT) {
        // TLS 1.3 sends a dummy ChangeCipherSpec (middlebox compatibility); in TLS 1.2 it ends
        // the cleartext part, and an alert ends the handshake.
        if (record.type === CHANGE_CIPHER_SPEC && hello?.tls13) continue;
        break;
      }
      if (record.type !== APPLICATION_DATA || !hello?.tls13) break;
      if (!keys) {
        const suite = TLS13_SUITES[hello.suite];
        if (!suite || !serverHandshakeSecret) break;
        keys = {
          key: hkdfExpandLabel(suite.hash, serverHandshakeSecret, 'key', suite.keyLength),
          iv: hkdfExpandLabel(suite.hash, serverHandshakeSecret, 'iv', 12),
          cipher: suite.cipher,
        };
      }
      const inner = decrypt(record, keys.key, keys.iv, seq++, keys.cipher);
      if (!inner || inner.type !== HANDSHAKE) break;
      encrypted = take(Buffer.concat([encrypted, inner.content]), true);
    }
  } catch {
    // Malformed or unexpected: what was read so far stands, the rest stays unknown.
  }
  return flight;
}

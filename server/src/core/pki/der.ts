// A minimal DER encoder: just what is needed to build X.509 certificates and CRLs for the lab
// PKI and the test fixtures. node:crypto signs; node-forge cannot sign EC certificates.

export type Der = Uint8Array;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, content: Uint8Array): Der {
  return concat([Uint8Array.of(tag), encodeLength(content.length), content]);
}

export function sequence(...items: Der[]): Der {
  return tlv(0x30, concat(items));
}

export function set(...items: Der[]): Der {
  return tlv(0x31, concat(items));
}

/** A context-specific constructed tag [n] (EXPLICIT wrapping). */
export function explicit(n: number, content: Der): Der {
  return tlv(0xa0 | n, content);
}

/** A context-specific primitive tag [n] with raw content (IMPLICIT). */
export function implicitPrimitive(n: number, content: Uint8Array): Der {
  return tlv(0x80 | n, content);
}

/** A non-negative INTEGER from big-endian bytes. */
export function integerFromBytes(bytes: Uint8Array): Der {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let body = bytes.subarray(i);
  if (body.length === 0) body = Uint8Array.of(0);
  if (body[0]! & 0x80) body = concat([Uint8Array.of(0), body]);
  return tlv(0x02, body);
}

export function integer(n: number): Der {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return integerFromBytes(Uint8Array.from(bytes));
}

export function boolean(v: boolean): Der {
  return tlv(0x01, Uint8Array.of(v ? 0xff : 0));
}

export function nullValue(): Der {
  return Uint8Array.of(0x05, 0x00);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function utf8String(s: string): Der {
  return tlv(0x0c, new TextEncoder().encode(s));
}

export function printableString(s: string): Der {
  return tlv(0x13, new TextEncoder().encode(s));
}

export function ia5String(s: string): Der {
  return tlv(0x16, new TextEncoder().encode(s));
}

export function octetString(bytes: Uint8Array): Der {
  return tlv(0x04, bytes);
}

/** BIT STRING with a whole number of bytes. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Der {
  return tlv(0x03, concat([Uint8Array.of(unusedBits), bytes]));
}

/** RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050. */
export function time(d: Date): Der {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, new TextEncoder().encode(`${pad(y % 100)}${rest}`));
  return tlv(0x18, new TextEncoder().encode(`${pad(y, 4)}${rest}`));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

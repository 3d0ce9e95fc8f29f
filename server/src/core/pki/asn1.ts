// A lazy, bounds-checked DER reader for the few X.509 fields node:crypto does not expose on
// Node 20 (signature algorithm, keyUsage bits, basicConstraints, key identifiers, raw names,
// CRL fields). Lazy on purpose: a multi-megabyte CRL is never decoded beyond its header, and every
// node keeps its exact byte range (needed to verify a CRL's signature over its TBS bytes).
// Malformed input never throws out of this module's public helpers that return undefined.

export interface Tlv {
  /** Identifier octet: class (bits 8-7), constructed (bit 6), tag number (bits 5-1). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export class Asn1Error extends Error {}

/** Reads one TLV at `offset`; throws Asn1Error when it does not fit in `bytes` (or `limit`). */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new Asn1Error('truncated DER');
  const tag = bytes[offset]!;
  // High tag numbers (0x1f) do not occur in the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('unsupported DER tag');
  let p = offset + 1;
  const first = bytes[p++]!;
  let length: number;
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Asn1Error('unsupported DER length');
    if (p + n > limit) throw new Asn1Error('truncated DER');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
  }
  const end = p + length;
  if (end > limit) throw new Asn1Error('truncated DER');
  return { tag, start: offset, contentStart: p, end };
}

/** The children of a constructed TLV. */
export function children(bytes: Uint8Array, node: Tlv): Tlv[] {
  if ((node.tag & 0x20) === 0) throw new Asn1Error('not a constructed DER value');
  const out: Tlv[] = [];
  let p = node.contentStart;
  while (p < node.end) {
    const c = readTlv(bytes, p, node.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function content(bytes: Uint8Array, node: Tlv): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

export function raw(bytes: Uint8Array, node: Tlv): Uint8Array {
  return bytes.subarray(node.start, node.end);
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
} as const;

export function expectTag(node: Tlv, tag: number, what: string): void {
  if (node.tag !== tag) throw new Asn1Error(`${what}: unexpected DER tag 0x${node.tag.toString(16)}`);
}

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new Asn1Error('empty OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function decodeBoolean(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] !== 0;
}

/** A small non-negative INTEGER (e.g. pathLenConstraint, version). */
export function decodeSmallInteger(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** Hex of an INTEGER's content (a serial number), without leading zero octets. */
export function integerHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return Buffer.from(bytes.subarray(i)).toString('hex').toUpperCase();
}

/** A BIT STRING's bits as a number, bit 0 = the most significant bit of the first octet. */
export function bitStringBits(bytes: Uint8Array): boolean[] {
  const out: boolean[] = [];
  if (bytes.length === 0) return out;
  const unused = bytes[0]!;
  const data = bytes.subarray(1);
  const total = data.length * 8 - unused;
  for (let i = 0; i < total; i++) out.push((data[i >> 3]! & (0x80 >> (i & 7))) !== 0);
  return out;
}

export function decodeTime(node: Tlv, bytes: Uint8Array): Date {
  const text = new TextDecoder('latin1').decode(content(bytes, node));
  let m: RegExpExecArray | null;
  if (node.tag === TAG.utcTime) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text);
    if (!m) throw new Asn1Error(`bad UTCTime ${text}`);
    const yy = Number(m[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
  if (node.tag === TAG.generalizedTime) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
    if (!m) throw new Asn1Error(`bad GeneralizedTime ${text}`);
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  throw new Asn1Error('not a time value');
}

/** A directory string (UTF8String, PrintableString, IA5String, BMPString, …) as text. */
export function decodeString(node: Tlv, bytes: Uint8Array): string {
  const c = content(bytes, node);
  switch (node.tag) {
    case TAG.bmpString: {
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
      return s;
    }
    case TAG.universalString: {
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0);
      return s;
    }
    case TAG.t61String:
      return new TextDecoder('latin1').decode(c);
    default:
      return new TextDecoder('utf-8').decode(c);
  }
}

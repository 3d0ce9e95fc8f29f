// PEM framing as OpenSSL reads it (crypto/pem/pem_lib.c: PEM_read_bio_ex): a "-----BEGIN X-----"
// line, optional RFC 1421 headers (Proc-Type, DEK-Info) up to a blank line, base64 lines, and an
// "-----END X-----" line with the same label. Text between blocks is ignored (OpenSSL skips it).
// A BEGIN without its END, a mismatched END or bad base64 makes OpenSSL stop with an error, which
// Kamailio turns into a start-up failure — so those are kept as problems, with their lines.
// A UTF-8 byte order mark is skipped where OpenSSL 3 skips it (pem_lib.c get_name/sanitize_line:
// on the first line each block search reads — the start of the file, or the line right after an
// END line); anywhere else the line does not start with "-----BEGIN " and is ignored text
// (verified with Kamailio 5.6.3 / OpenSSL 3.0, ORACLE-NOTES.md "A UTF-8 BOM").

export type PemProblem = 'truncated' | 'bad-end-line' | 'bad-base64';

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`. */
  label: string;
  /** Byte offset of the BEGIN line and just past the END line (its newline excluded). */
  start: number;
  end: number;
  /** 0-based lines of the BEGIN line and of the END line (the last line read when truncated). */
  startLine: number;
  endLine: number;
  /** RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`). */
  headers: Record<string, string>;
  /** The decoded body; undefined when the block has a problem. */
  der?: Uint8Array;
  problem?: PemProblem;
}

export interface PemScan {
  blocks: PemBlock[];
  /** The file holds no BEGIN line at all. */
  noPem: boolean;
  /** Bytes that are not text (NUL or control characters): DER or another binary format. */
  binary: boolean;
  /** Nothing but white space. */
  empty: boolean;
}

const BEGIN = /^-----BEGIN ([^-]*)-----\s*$/;
const END = /^-----END ([^-]*)-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** EF BB BF as latin1 text (one character per byte). */
const UTF8_BOM = '\u00ef\u00bb\u00bf';

export function scanPem(bytes: Uint8Array): PemScan {
  // latin1 keeps one character per byte, so string offsets are byte offsets.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const blocks: PemBlock[] = [];
  const empty = text.trim() === '';
  let binary = false;
  for (let i = 0; i < Math.min(text.length, 4096); i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) {
      binary = true;
      break;
    }
  }
  if (text.indexOf('-----BEGIN ') === -1) return { blocks, noPem: true, binary, empty };

  let offset = 0;
  let line = 0;
  /** Next line: [start offset, text without the newline]. */
  const next = (): { at: number; no: number; text: string } | undefined => {
    if (offset >= text.length) return undefined;
    const nl = text.indexOf('\n', offset);
    const stop = nl === -1 ? text.length : nl;
    const out = { at: offset, no: line, text: text.slice(offset, stop).replace(/\r$/, '') };
    offset = nl === -1 ? text.length : nl + 1;
    line++;
    return out;
  };

  /** The line OpenSSL's next block search starts with, without its byte order mark. */
  const searchStart = (l: { at: number; no: number; text: string } | undefined) =>
    l && l.text.startsWith(UTF8_BOM) ? { at: l.at + UTF8_BOM.length, no: l.no, text: l.text.slice(UTF8_BOM.length) } : l;

  let current = searchStart(next());
  while (current) {
    const begin = BEGIN.exec(current.text);
    if (!begin) {
      current = next();
      continue;
    }
    const label = begin[1]!;
    const start = current.at;
    const startLine = current.no;
    const headers: Record<string, string> = {};
    const body: string[] = [];
    let inHeaders = true;
    let problem: PemProblem | undefined;
    let endAt = start + current.text.length;
    let endLine = startLine;
    let closed = false;
    let l = next();
    while (l) {
      if (END.test(l.text)) {
        const endLabel = END.exec(l.text)![1]!;
        if (endLabel !== label) problem = 'bad-end-line';
        endAt = l.at + l.text.length;
        endLine = l.no;
        closed = true;
        l = searchStart(next());
        break;
      }
      if (BEGIN.test(l.text)) break; // a new block starts: this one has no END
      endAt = l.at + l.text.length;
      endLine = l.no;
      const t = l.text.trim();
      if (inHeaders && /^[A-Za-z-]+:/.test(t)) {
        const colon = t.indexOf(':');
        headers[t.slice(0, colon)] = t.slice(colon + 1).trim();
      } else if (t === '') {
        // The blank line that ends the headers (or stray blank lines, which OpenSSL rejects
        // inside the base64 only when data follows; tolerated here).
        inHeaders = false;
      } else {
        inHeaders = false;
        body.push(t.replace(/\s+/g, ''));
      }
      l = next();
    }
    if (!closed) problem = 'truncated';
    let der: Uint8Array | undefined;
    if (!problem) {
      const b64 = body.join('');
      if (!BASE64.test(b64) || b64.length % 4 !== 0 || b64.length === 0) problem = 'bad-base64';
      else der = new Uint8Array(Buffer.from(b64, 'base64'));
    }
    blocks.push({ label, start, end: endAt, startLine, endLine, headers, ...(der ? { der } : {}), ...(problem ? { problem } : {}) });
    current = l;
  }
  return { blocks, noPem: blocks.length === 0, binary, empty };
}

/** The PEM text of one block, exactly as in the file (for node:crypto, which wants PEM). */
export function blockText(bytes: Uint8Array, block: PemBlock): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + block.start, block.end - block.start).toString('latin1') + '\n';
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

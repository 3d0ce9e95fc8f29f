// `listen=`, `alias=`/`domain=` and `socket = { … }` values, read the way cfg.y does
// (listen_phostport, listen_id, host_or_if, ipv4/ipv6, port, socket_lattr). Reference §3.
// Only definite errors become problems (→ kamcfg.bad-listen), each checked against
// `kamailio -c` of 5.6.3:
// - a dotted number that is not a full IPv4 (`0.0.0`, `1.2.3.4.5`, `123.example.com`): after
//   NUMBER DOT the LALR parser is committed to ipv4 → "ip address, interface name or hostname
//   expected"; an octet above 255 → "invalid ipv4 address";
// - an IPv6 address with a port but no brackets (`tls:::1:5061`: the lexer turns `:::1` into
//   `::` + `:1`, so the colon after the protocol is gone);
// - a port that is not a number, `*` or a name (`5060x`, `08`, `-5`); a port above 65535 parses
//   but only its low 16 bits are used (70000 → 4464, observed on 5.6.3);
// - `Tls:`/`Udp:` (protocol words are all-lower or all-upper only), `ws:`/`wss:` (not listen
//   protocols), a reserved word as a host label (`tls.example.com`, `sip.dns.example.com`),
//   `advertise host:*`, `virtual` before `name`.
// Undefined identifiers (`MY_IP`, `SIP_PORT`) and `<…>` placeholders are deployment-time values
// and never a problem.
import { isIPv4, isIPv6 } from 'node:net';
import type { Range } from '../types';
import type { ListenProto, ParseProblem } from './model';
import type { SrcToken } from './statements';
import { KEYWORDS_SINCE_5_6, PROTO_WORDS, isIdWord, isNumberWord, isPunct } from './tokens';
import { spanRange, type RangeOf } from './values';
import { excerpt, quoted } from '../quote';

export type HostKind = 'ipv4' | 'ipv6' | 'hostname' | 'interface-or-hostname' | 'placeholder' | 'invalid';

export interface ParsedHost {
  text: string;
  kind: HostKind;
  range: Range;
}

export interface ParsedSocketAddress {
  proto?: ListenProto;
  host: ParsedHost;
  /** Further addresses of an SCTP multi-homing list `(a, b)`. */
  moreHosts: ParsedHost[];
  port?: number;
  portText?: string;
  portRange?: Range;
  range: Range;
  problems: ParseProblem[];
}

export interface ParsedListenValue {
  sockets: ParsedSocketAddress[];
  advertise?: { host: string; port?: number; range: Range; proto?: ListenProto };
  name?: string;
  virtual?: boolean;
  /** Problems of the line that belong to no single address. */
  problems: ParseProblem[];
}

const BAD_LISTEN = 'kamcfg.bad-listen';
const HOST_EXPECTED = '"ip address, interface name or hostname expected"';

class Cursor {
  i = 0;
  constructor(
    readonly toks: readonly SrcToken[],
    readonly rangeOf: RangeOf,
  ) {}
  peek(k = 0): SrcToken | undefined {
    return this.toks[this.i + k];
  }
  next(): SrcToken | undefined {
    return this.toks[this.i++];
  }
  get done(): boolean {
    return this.i >= this.toks.length;
  }
  range(first: SrcToken, last: SrcToken): Range {
    return spanRange(first, last, this.rangeOf);
  }
  problem(first: SrcToken, last: SrcToken, message: string): ParseProblem {
    return { code: BAD_LISTEN, range: this.range(first, last), message };
  }
}

function isLabelToken(t: SrcToken | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'number');
}

function numberOf(t: SrcToken): number | undefined {
  if (t.kind === 'number') return Number(t.value ?? t.text);
  return undefined;
}

/** cfg.lex lexes yes/no/inet… as NUMBER too; they are valid host labels. */
function isGrammarNumber(t: SrcToken | undefined): boolean {
  return t !== undefined && (t.kind === 'number' || (t.kind === 'word' && isNumberWord(t.text)));
}

function classifyHostText(text: string): HostKind {
  if (isIPv4(text)) return 'ipv4';
  if (isIPv6(text)) return 'ipv6';
  if (text.includes('<') || /^[A-Z0-9_]+$/.test(text)) return 'placeholder';
  return text.includes('.') ? 'hostname' : 'interface-or-hostname';
}

function protoOf(t: SrcToken | undefined): ListenProto | undefined {
  if (!t) return undefined;
  if (t.kind === 'punct' && t.text === '*') return 'any';
  return t.kind === 'word' ? PROTO_WORDS.get(t.text) : undefined;
}

/** `<…>` deployment placeholder (not Kamailio syntax; filled in before deployment). */
function placeholder(c: Cursor): ParsedHost | undefined {
  const open = c.peek();
  if (!open || !isPunct(open, '<')) return undefined;
  let j = 1;
  while (c.peek(j) && !isPunct(c.peek(j), '>') && j < 12) j++;
  if (!isPunct(c.peek(j), '>')) return undefined;
  const close = c.peek(j)!;
  const text = c.toks
    .slice(c.i, c.i + j + 1)
    .map((t) => t.text)
    .join('');
  c.i += j + 1;
  return { text, kind: 'placeholder', range: c.range(open, close) };
}

/**
 * A value only the deployment provides: a pseudo-variable, the tokens of a placeholder define
 * (`#!substdef "!IP!!g"`, `[KAM_PUBLIC_IP]`), or the gap a define expanding to nothing left.
 */
function deploymentValue(c: Cursor): ParsedHost | undefined {
  const t = c.peek();
  if (!t) return undefined;
  if (t.kind === 'pvar') {
    c.next();
    return { text: t.text, kind: 'placeholder', range: c.range(t, t) };
  }
  if (t.placeholderDefine) {
    const name = t.placeholderDefine;
    let j = 0;
    while (c.peek(j)?.placeholderDefine === name && !(j > 0 && isPunct(c.peek(j), ':'))) j++;
    c.i += j;
    return { text: name, kind: 'placeholder', range: c.range(t, t) };
  }
  const gap = t.afterEmptyDefine;
  if (gap && !isLabelToken(t) && t.kind !== 'string' && t.kind !== 'ipv6' && !isPunct(t, '[') && !isPunct(t, '<')) {
    return { text: gap.name, kind: 'placeholder', range: c.rangeOf(t.file, gap.start, gap.end) };
  }
  return undefined;
}

/** listen_id: ip | STRING | host_or_if (| <placeholder>). Pushes problems; undefined when absent. */
function listenId(c: Cursor, problems: ParseProblem[]): ParsedHost | undefined {
  const t = c.peek();
  if (!t) return undefined;
  const ph = placeholder(c) ?? deploymentValue(c);
  if (ph) return ph;
  if (t.kind === 'string') {
    c.next();
    const text = t.value ?? '';
    return { text, kind: classifyHostText(text), range: c.range(t, t) };
  }
  if (isPunct(t, '[')) {
    const v6 = c.peek(1);
    const close = c.peek(2);
    if (v6 && isPunct(v6, ']') && v6.afterEmptyDefine) {
      // `[EXTERNAL_IP6_ADDR]` with the define still empty: filled in at deployment.
      c.i += 2;
      const gap = v6.afterEmptyDefine;
      return { text: gap.name, kind: 'placeholder', range: c.rangeOf(v6.file, gap.start, gap.end) };
    }
    if (v6?.kind === 'ipv6' && isPunct(close, ']')) {
      c.i += 3;
      const host: ParsedHost = { text: v6.text, kind: 'ipv6', range: c.range(t, close!) };
      if (!isIPv6(v6.text)) {
        host.kind = 'invalid';
        problems.push(c.problem(t, close!, `${quoted(v6.text)} is not a valid IPv6 address: Kamailio stops with "bad ipv6 address".`));
      }
      return host;
    }
    c.next();
    problems.push(c.problem(t, t, `Kamailio expects an IPv6 address and ']' after '[' here (${HOST_EXPECTED}).`));
    return { text: '', kind: 'invalid', range: c.range(t, t) };
  }
  if (t.kind === 'ipv6') {
    c.next();
    const host: ParsedHost = { text: t.text, kind: 'ipv6', range: c.range(t, t) };
    if (!isIPv6(t.text)) {
      host.kind = 'invalid';
      problems.push(c.problem(t, t, `${quoted(t.text)} is not a valid IPv6 address: Kamailio stops with "bad ipv6 address".`));
    }
    return host;
  }
  if (!isLabelToken(t)) return undefined;
  // Gather host_or_if: labels joined by '.' or '-'.
  const start = c.i;
  let j = 0;
  for (;;) {
    if (!isLabelToken(c.peek(j))) break;
    j++;
    const sep = c.peek(j);
    if ((isPunct(sep, '.') || isPunct(sep, '-')) && isLabelToken(c.peek(j + 1))) {
      j++;
      continue;
    }
    break;
  }
  const toks = c.toks.slice(start, start + j);
  c.i += j;
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const text = toks.map((x) => x.text).join('');
  const range = c.range(first, last);
  const labels = toks.filter((x) => x.kind !== 'punct');
  // After NUMBER DOT the grammar is committed to ipv4 (cfg.y: ipv4 vs host_or_if, resolved by shift).
  if (isGrammarNumber(first) && isPunct(toks[1], '.')) {
    const dotsOnly = toks.every((x, k) => (k % 2 === 1 ? isPunct(x, '.') : isGrammarNumber(x)));
    if (dotsOnly && labels.length === 4 && !isPunct(c.peek(), '.')) {
      const bad = labels.find((x) => (numberOf(x) ?? 0) > 255);
      if (bad) {
        problems.push(c.problem(first, last, `${quoted(text)} is not a valid IPv4 address (${bad.text} > 255): Kamailio stops with "invalid ipv4 address".`));
        return { text, kind: 'invalid', range };
      }
      return { text, kind: 'ipv4', range };
    }
    const numericParts = dotsOnly ? labels.length : 0;
    const message =
      numericParts > 0 && numericParts < 4
        ? `${quoted(text)} is not an IPv4 address (it has ${numericParts} parts, 4 are needed): Kamailio stops with ${HOST_EXPECTED}.${text === '0.0.0' ? ' For every address use 0.0.0.0.' : ''}`
        : numericParts > 4
          ? `${quoted(text)} is not an IPv4 address (it has ${numericParts} parts): Kamailio stops with ${HOST_EXPECTED}.`
          : `${quoted(text)} starts like an IPv4 address, so Kamailio's grammar reads it as one and stops with ${HOST_EXPECTED}; if it is a host name, put it in quotes ("${excerpt(text)}").`;
    problems.push(c.problem(first, last, message));
    return { text, kind: 'invalid', range };
  }
  const reserved = labels.find((x) => x.kind === 'word' && KEYWORDS_SINCE_5_6.has(x.text) && !isNumberWord(x.text));
  if (reserved) {
    problems.push(
      c.problem(
        first,
        last,
        `${quoted(reserved.text)} is a reserved word in kamailio.cfg, so Kamailio cannot read ${quoted(text)} as a host name and stops with a syntax error; put it in quotes: "${excerpt(text)}".`,
      ),
    );
    return { text, kind: 'invalid', range };
  }
  let kind: HostKind;
  if (labels.length === 1) {
    const w = first.text;
    if (first.kind === 'word' && isIdWord(w) && /[A-Z_]/.test(w)) kind = 'placeholder';
    else if (w === 'localhost') kind = 'hostname';
    else kind = 'interface-or-hostname';
  } else {
    kind = labels.some((x) => x.text.includes('_')) ? 'placeholder' : 'hostname';
  }
  return { text, kind, range };
}

/** port: NUMBER | '*' (| a define name or placeholder filled in at deployment). */
function port(c: Cursor, colon: SrcToken, sock: ParsedSocketAddress): void {
  const t = c.peek();
  if (!t) {
    sock.problems.push(c.problem(colon, colon, `A port number is expected after ':' (Kamailio: ${HOST_EXPECTED}).`));
    return;
  }
  const ph = placeholder(c) ?? deploymentValue(c);
  if (ph) {
    sock.portText = ph.text;
    sock.portRange = ph.range;
    return;
  }
  if (isPunct(t, '*')) {
    c.next();
    sock.portText = '*';
    sock.portRange = c.range(t, t);
    return;
  }
  if (isGrammarNumber(t)) {
    c.next();
    const n = t.kind === 'number' ? Number(t.value ?? t.text) : t.text === 'yes' || t.text === 'true' || t.text === 'on' || t.text === 'enable' ? 1 : 0;
    sock.portText = t.text;
    sock.portRange = c.range(t, t);
    sock.port = n;
    if (n > 65535) {
      sock.problems.push({
        ...c.problem(t, t, `Port ${n} is out of range (1–65535): Kamailio accepts it but keeps only the low 16 bits and listens on port ${n & 0xffff}.`),
        code: 'kamcfg.port-out-of-range',
      });
    }
    return;
  }
  if (t.kind === 'word' && isIdWord(t.text)) {
    // A define name (e.g. SIP_PORT) that the deployment provides with -A.
    c.next();
    sock.portText = t.text;
    sock.portRange = c.range(t, t);
    return;
  }
  if (isPunct(t, '-') && c.peek(1)?.kind === 'number') {
    c.i += 2;
    sock.portText = `-${c.peek(-1)!.text}`;
    sock.portRange = c.range(t, c.peek(-1)!);
    sock.problems.push(c.problem(t, c.peek(-1)!, `${quoted(sock.portText)} is not a port number: Kamailio stops with ${HOST_EXPECTED}.`));
    return;
  }
  c.next();
  sock.portText = t.text;
  sock.portRange = c.range(t, t);
  sock.problems.push(c.problem(t, t, `${quoted(t.text)} is not a port number: Kamailio stops with ${HOST_EXPECTED}.`));
}

/** Can `t` start another address of an id_lst? */
function startsAddress(c: Cursor): boolean {
  const t = c.peek();
  if (!t) return false;
  if (protoOf(t) && isPunct(c.peek(1), ':')) return true;
  if (isPunct(t, '(') || isPunct(t, '[') || isPunct(t, '<')) return true;
  if (t.kind === 'ipv6' || t.kind === 'string' || t.kind === 'number' || t.kind === 'pvar' || t.placeholderDefine) return true;
  if (t.kind === 'word') return !['advertise', 'ADVERTISE', 'name', 'NAME', 'virtual'].includes(t.text);
  return false;
}

/** listen_phostport: [proto ':'] listen_id2 [':' port]. */
function phostport(c: Cursor): ParsedSocketAddress | undefined {
  const first = c.peek();
  if (!first) return undefined;
  const problems: ParseProblem[] = [];
  if (first.placeholderDefine && !(protoOf(first) && isPunct(c.peek(1), ':') && c.peek(1)?.placeholderDefine !== first.placeholderDefine)) {
    // A whole socket from a define only the deployment fills in (`udp:$def(MISSING):5060`).
    const name = first.placeholderDefine;
    while (c.peek()?.placeholderDefine === name) c.next();
    return { host: { text: name, kind: 'placeholder', range: c.range(first, first) }, moreHosts: [], range: c.range(first, first), problems };
  }
  let proto: ListenProto | undefined;
  const p = protoOf(first);
  const second = c.peek(1);
  if (p && isPunct(second, ':')) {
    proto = p;
    c.i += 2;
  } else if (p && p !== 'any' && second?.kind === 'ipv6' && second.text.startsWith(':')) {
    // `tls:::1:5061`: the lexer glued the protocol's colon into an IPV6ADDR.
    proto = p;
    c.next();
    let j = 0;
    while (c.peek(j) && (j === 0 || !c.peek(j)!.spaceBefore) && (c.peek(j)!.kind !== 'word' || j === 0 || /^[0-9a-fA-F]+$/.test(c.peek(j)!.text))) j++;
    const toks = c.toks.slice(c.i, c.i + j);
    c.i += j;
    const written = toks.map((x) => x.text).join('');
    const inner = written.slice(1);
    const cut = inner.lastIndexOf(':');
    const hostText = cut > 0 ? inner.slice(0, cut) : inner;
    const portText = cut > 0 ? inner.slice(cut + 1) : undefined;
    const lastTok = toks[toks.length - 1]!;
    const range = c.range(second, lastTok);
    const sock: ParsedSocketAddress = {
      proto,
      host: { text: hostText, kind: 'invalid', range },
      moreHosts: [],
      range: c.range(first, lastTok),
      problems: [
        c.problem(
          second,
          lastTok,
          `An IPv6 address with a port must be written in brackets: Kamailio reads ${quoted(`${first.text}:${inner}`)} as ${quoted(first.text)} followed by the IPv6 address ${quoted(second.text)} and stops with ${HOST_EXPECTED}. Write ${excerpt(`${first.text}:[${hostText}]${portText ? `:${portText}` : ''}`, 80)}.`,
        ),
      ],
    };
    if (portText && /^[0-9]+$/.test(portText)) sock.port = Number(portText);
    if (portText) sock.portText = portText;
    return sock;
  } else if (first.kind === 'word' && /^(udp|tcp|tls|sctp)$/i.test(first.text) && isPunct(second, ':')) {
    problems.push(
      c.problem(
        first,
        first,
        `${quoted(first.text)} is not a protocol name: Kamailio knows udp, tcp, tls and sctp written all lower-case or all upper-case only, reads ${quoted(first.text)} as a host name and stops with a syntax error.`,
      ),
    );
    proto = first.text.toLowerCase() as ListenProto;
    c.i += 2;
  } else if (first.kind === 'word' && /^(ws|wss|WS|WSS)$/.test(first.text) && isPunct(second, ':')) {
    problems.push(
      c.problem(
        first,
        first,
        `${quoted(first.text)} is not a listen protocol: WebSocket connections arrive on tcp or tls sockets (listen=tcp:… / listen=tls:…); Kamailio stops with ${HOST_EXPECTED}.`,
      ),
    );
    c.i += 2;
  }
  let host: ParsedHost | undefined;
  const moreHosts: ParsedHost[] = [];
  const open = c.peek();
  if (isPunct(open, '(')) {
    c.next();
    for (;;) {
      const h = listenId(c, problems);
      if (!h) break;
      if (!host) host = h;
      else moreHosts.push(h);
      if (isPunct(c.peek(), ',')) {
        c.next();
        continue;
      }
      break;
    }
    if (isPunct(c.peek(), ')')) c.next();
    else problems.push(c.problem(open!, open!, `The address list opened here needs a closing ')'.`));
  } else {
    host = listenId(c, problems);
  }
  if (!host) {
    const at = c.peek() ?? first;
    problems.push(c.problem(at, at, `Kamailio expects an address here and stops with ${HOST_EXPECTED}.`));
    if (c.peek()) c.next();
    host = { text: at.text, kind: 'invalid', range: c.range(at, at) };
  }
  const sock: ParsedSocketAddress = { host, moreHosts, range: c.range(first, first), problems };
  if (proto) sock.proto = proto;
  if (isPunct(c.peek(), ':')) {
    const colon = c.next()!;
    port(c, colon, sock);
  }
  if (problems.length > 0 && host.kind !== 'placeholder') host.kind = 'invalid';
  // One syntax error stops Kamailio; what follows it would only repeat the same fault.
  problems.splice(1);
  const last = c.peek(-1) ?? first;
  sock.range = c.range(first, last);
  return sock;
}

/** `listen = id_lst [advertise …] [name "…"] [virtual]` (alias/domain: `withSuffixes` false). */
export function parseListenValue(tokens: readonly SrcToken[], rangeOf: RangeOf, withSuffixes = true): ParsedListenValue {
  const c = new Cursor(tokens, rangeOf);
  const out: ParsedListenValue = { sockets: [], problems: [] };
  while (!c.done && startsAddress(c)) {
    const before = c.i;
    const s = phostport(c);
    if (s) out.sockets.push(s);
    if (c.i === before) break;
  }
  if (withSuffixes) {
    const adv = c.peek();
    if (adv?.kind === 'word' && (adv.text === 'advertise' || adv.text === 'ADVERTISE')) {
      c.next();
      let proto: ListenProto | undefined;
      const p = protoOf(c.peek());
      if (p && p !== 'any' && isPunct(c.peek(1), ':')) {
        proto = p;
        c.i += 2;
      }
      const host = listenId(c, out.problems);
      if (host) {
        const a: ParsedListenValue['advertise'] = { host: host.text, range: host.range };
        if (proto) a.proto = proto;
        if (isPunct(c.peek(), ':')) {
          const colon = c.next()!;
          const holder: ParsedSocketAddress = { host, moreHosts: [], range: host.range, problems: [] };
          const pt = c.peek();
          if (isPunct(pt, '*')) {
            c.next();
            out.problems.push(c.problem(pt!, pt!, `The advertised port must be a number; '*' is not accepted after advertise (Kamailio: ${HOST_EXPECTED}).`));
          } else {
            port(c, colon, holder);
            out.problems.push(...holder.problems);
            if (holder.port !== undefined) a.port = holder.port;
          }
          const lastTok = c.peek(-1) ?? colon;
          a.range = { start: host.range.start, end: c.range(lastTok, lastTok).end };
        }
        out.advertise = a;
      } else {
        out.problems.push(c.problem(adv, adv, `'advertise' needs an address (Kamailio: ${HOST_EXPECTED}).`));
      }
    }
    const nm = c.peek();
    if (nm?.kind === 'word' && (nm.text === 'name' || nm.text === 'NAME')) {
      c.next();
      const s = c.peek();
      if (s?.kind === 'string') {
        c.next();
        out.name = s.value ?? '';
      } else {
        out.problems.push(c.problem(nm, nm, `'name' needs a quoted socket name, e.g. name "public".`));
      }
    }
    const v = c.peek();
    if (v?.kind === 'word' && v.text === 'virtual') {
      c.next();
      out.virtual = true;
    }
  }
  const rest = c.peek();
  if (rest && !out.sockets.some((x) => x.problems.length > 0) && out.problems.length === 0) {
    const lastTok = tokens[tokens.length - 1]!;
    const message =
      out.virtual && rest.kind === 'word' && (rest.text === 'name' || rest.text === 'NAME')
        ? `Kamailio expects name "…" before virtual and stops with a syntax error here.`
        : `Kamailio cannot read ${quoted(rest.text)} here and stops with a syntax error (${HOST_EXPECTED}).`;
    out.problems.push(c.problem(rest, lastTok, message));
  }
  return out;
}

export interface ParsedSocketBlock {
  socket?: ParsedSocketAddress;
  advertise?: { host: string; port?: number; range: Range; proto?: ListenProto };
  name?: string;
  virtual?: boolean;
  problems: ParseProblem[];
}

/** `socket = { bind = proto:addr:port; advertise = addr:port; name = "…"; virtual = 1; … }` (5.7+). */
export function parseSocketBlock(tokens: readonly SrcToken[], rangeOf: RangeOf): ParsedSocketBlock {
  const out: ParsedSocketBlock = { problems: [] };
  // Attributes: word '=' value… up to ';' or the closing brace.
  let i = isPunct(tokens[0], '{') ? 1 : 0;
  while (i < tokens.length) {
    const attr = tokens[i]!;
    if (isPunct(attr, '}') || isPunct(attr, ';')) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && !isPunct(tokens[j], ';') && !isPunct(tokens[j], '}')) j++;
    const value = tokens.slice(isPunct(tokens[i + 1], '=') ? i + 2 : i + 1, j);
    const name = attr.text;
    if (name === 'bind') {
      const parsed = parseListenValue(value, rangeOf, false);
      if (parsed.sockets[0]) out.socket = parsed.sockets[0];
      out.problems.push(...parsed.problems);
    } else if (name === 'advertise') {
      const parsed = parseListenValue(value, rangeOf, false);
      const s = parsed.sockets[0];
      if (s) {
        const a: NonNullable<ParsedSocketBlock['advertise']> = { host: s.host.text, range: s.range };
        if (s.port !== undefined) a.port = s.port;
        if (s.proto) a.proto = s.proto;
        out.advertise = a;
      }
    } else if (name === 'name' && value[0]?.kind === 'string') {
      out.name = value[0].value ?? '';
    } else if (name === 'virtual') {
      out.virtual = value[0]?.kind === 'number' ? Number(value[0].value) !== 0 : value[0]?.text === 'yes';
    }
    i = j + 1;
  }
  return out;
}

// Profile headers: `[server:default]`, `[client:any]`, `[server:1.2.3.4:5061]`,
// `[client:[2001:db8::1]:0]` (tls_config.c ksr_tls_parse_domain / ksr_tls_parse_hostport;
// reference §1.3). Kamailio's exact failures are mirrored in the messages; where the intent is
// obvious a fix rewrites the header.
import { isIPv6 } from 'node:net';
import type { LineIndex } from '../text';
import type { ParseProblem } from '../kamailio/model';
import { TlsCfgLexer, isLexError, type Token } from './lexer';
import type { ProfileRole, ProfileTarget } from './model';
import { closestMatch } from '../util/suggest';
import { canonicalIp } from '../ipAddress';
import { quoted } from '../quote';

export interface HeaderResult {
  role?: ProfileRole;
  target?: ProfileTarget;
  problem?: ParseProblem;
  /** Offset just after the header (after ']' or at the end of the header text). */
  end: number;
}

const ROLES: Record<string, ProfileRole> = { server: 'server', srv: 'server', s: 'server', client: 'client', cli: 'client', c: 'client' };
const DEFAULT_WORDS = new Set(['default', 'def']);
const ANY_WORDS = new Set(['any', 'all']);

/** The first `char` in [from, to), or -1. */
function indexOnLine(text: string, char: string, from: number, to: number): number {
  const i = text.slice(from, to).indexOf(char);
  return i === -1 ? -1 : from + i;
}

/** Parse the header starting at the '[' at `start`; `lineEnd` is the end of its line. */
export function parseHeader(text: string, start: number, lineEnd: number, index: LineIndex): HeaderResult {
  const lexer = new TlsCfgLexer(text.slice(0, lineEnd));
  lexer.offset = start + 1;
  // Where the header text ends for ranges: the ']' if any, else before a comment / blanks.
  // Searches stay on the header's line: one running to the end (or start) of the file for every
  // header made a tls.cfg of many profiles quadratic.
  const hash = indexOnLine(text, '#', start, lineEnd);
  let visibleEnd = lineEnd;
  if (hash !== -1) visibleEnd = hash;
  while (visibleEnd > start + 1 && /[ \t\r]/.test(text[visibleEnd - 1]!)) visibleEnd--;
  // The last ']' of the line closes the header ([client:[::1]:5061] has two).
  const inHeader = text.slice(start, visibleEnd).lastIndexOf(']');
  const close = inHeader === -1 ? -1 : start + inHeader;
  const headerEnd = close > start ? close + 1 : visibleEnd;
  const headerText = text.slice(start, headerEnd);

  const fail = (
    message: string,
    role?: ProfileRole,
    fix?: string,
    at?: { start: number; end: number },
    target: ProfileTarget = { kind: 'invalid' },
  ): HeaderResult => {
    const r = index.rangeOf(at?.start ?? start, at?.end ?? headerEnd);
    const whole = index.rangeOf(start, headerEnd);
    return {
      ...(role ? { role, target } : {}),
      end: headerEnd,
      problem: {
        code: 'tlscfg.bad-header',
        range: r,
        message,
        ...(fix !== undefined && fix !== headerText
          ? { fixes: [{ title: `Change to ${quoted(fix)}`, isPreferred: true, edits: [{ range: whole, newText: fix }] }] }
          : {}),
      },
    };
  };
  const next = (): Token | 'eof' | 'error' => {
    const t = lexer.next(false);
    if (t === 'eof') return 'eof';
    if (isLexError(t)) return 'error';
    return t;
  };

  // Type
  const typeTok = next();
  if (typeTok === 'eof' || typeTok === 'error' || typeTok.type === 'eol') {
    return fail(`Profile header ${quoted(headerText)} has no type: Kamailio exits with "TLS domain type missing". Use [server:…] or [client:…].`);
  }
  const role = typeTok.type === 'alpha' ? ROLES[typeTok.value.toLowerCase()] : undefined;
  if (!role) {
    const suggestion = typeTok.type === 'alpha' ? closestMatch(typeTok.value, ['server', 'client'], 2) : undefined;
    const fix = suggestion ? headerText.replace(typeTok.value, suggestion) : undefined;
    // Keep the options below attached to a profile (the likely intended role) so that a typo in
    // the type does not turn every following line into an error too.
    return fail(
      `Unknown profile type ${quoted(text.slice(typeTok.start, typeTok.end))}: Kamailio exits with "Invalid TLS domain type". Use server (srv, s) or client (cli, c).`,
      suggestion === 'client' ? 'client' : 'server',
      fix,
      { start: typeTok.start, end: typeTok.end },
    );
  }
  const colon = next();
  if (colon === 'eof' || colon === 'error' || colon.type === 'eol') {
    return fail(`Profile header ${quoted(headerText)} has no target: Kamailio exits with "TLS domain IP address missing". Use [${typeTok.value}:default], [${typeTok.value}:any] or [${typeTok.value}:IP:port].`, role);
  }
  if (colon.type !== 'delim' || colon.value !== ':') {
    return fail(`Expected ':' after ${quoted(typeTok.value)} in ${quoted(headerText)}: Kamailio exits with "Syntax error, ':' expected".`, role);
  }

  // Target
  const targetStart = colon.end;
  const inner = headerText.slice(targetStart - start, headerText.endsWith(']') ? -1 : undefined).trim();
  const hostTok = next();
  let target: ProfileTarget | undefined;
  let family: 4 | 6 = 4;
  let ip = '';
  if (hostTok === 'eof' || hostTok === 'error' || hostTok.type === 'eol') {
    return fail(`Profile header ${quoted(headerText)} has no target: Kamailio exits with "Missing IP address".`, role);
  }
  if (hostTok.type === 'delim' && hostTok.value === '[') {
    let body = '';
    let closed = false;
    for (;;) {
      const t = next();
      if (t === 'eof' || t === 'error' || t.type === 'eol') break;
      if (t.type === 'delim' && t.value === ']') {
        closed = true;
        break;
      }
      if (t.type !== 'alpha' && !(t.type === 'delim' && t.value === ':')) {
        body += '\u0000';
        continue;
      }
      body += t.value;
    }
    if (!closed || !isIPv6(body) || body.includes('.')) {
      return fail(
        `Invalid IPv6 address in ${quoted(headerText)}: Kamailio exits with "Invalid IPv6 address" (only hexadecimal groups and ':' are accepted, no dotted IPv4-mapped form).`,
        role,
      );
    }
    ip = body;
    family = 6;
  } else if (hostTok.type === 'alpha') {
    const word = hostTok.value.toLowerCase();
    if (DEFAULT_WORDS.has(word) || ANY_WORDS.has(word)) {
      target = DEFAULT_WORDS.has(word) ? { kind: 'default' } : { kind: 'any' };
    } else {
      const parsed = parseDottedQuad(hostTok, next);
      if (!parsed) {
        // Not an IPv4 address: a host name, or an IPv6 address without brackets.
        const ipv6 = splitUnbracketedIpv6(inner);
        if (ipv6) {
          return fail(
            `IPv6 address without brackets in ${quoted(headerText)}: Kamailio exits with "Invalid IPv4 address". Write [${typeTok.value}:[${ipv6.ip}]:${ipv6.port}].`,
            role,
            `[${typeTok.value}:[${ipv6.ip}]:${ipv6.port}]`,
          );
        }
        const isName = /^[A-Za-z]/.test(hostTok.value);
        const portPart = inner.includes(':') ? inner.slice(inner.indexOf(':')) : '';
        const fix = word === 'localhost' ? `[${typeTok.value}:127.0.0.1${portPart}]` : undefined;
        return fail(
          isName
            ? `Profile headers take an IP address, not a host name (${quoted(hostTok.value)}): Kamailio exits with "Invalid IPv4 address". Use the IP address of the listen socket.`
            : `Invalid IPv4 address ${quoted(inner.split(':')[0])} in ${quoted(headerText)}: Kamailio exits with "Invalid IPv4 address".`,
          role,
          fix,
        );
      }
      ip = parsed;
    }
  } else {
    const ipv6 = splitUnbracketedIpv6(inner);
    if (ipv6) {
      return fail(
        `IPv6 address without brackets in ${quoted(headerText)}: Kamailio exits with "Syntax error, IP address expected". Write [${typeTok.value}:[${ipv6.ip}]:${ipv6.port}].`,
        role,
        `[${typeTok.value}:[${ipv6.ip}]:${ipv6.port}]`,
      );
    }
    const star = hostTok.type === 'delim' && hostTok.value === '*';
    return fail(
      star
        ? `'*' is not accepted as a profile target although Kamailio's source lists it: Kamailio exits with "Syntax error, IP address expected". Use [${typeTok.value}:default].`
        : `Profile header ${quoted(headerText)} needs default, any or an IP address: Kamailio exits with "Syntax error, IP address expected".`,
      role,
      star ? `[${typeTok.value}:default]` : undefined,
    );
  }

  if (!target) {
    // Port
    const portColon = next();
    if (portColon === 'eof' || portColon === 'error' || portColon.type !== 'delim' || portColon.value !== ':') {
      return fail(
        `Profile header ${quoted(headerText)} has no port: Kamailio exits with "Syntax error, ':' expected". Add the TLS port of the listen socket, or :0 for any port.`,
        role,
        undefined,
      );
    }
    const portTok = next();
    if (portTok === 'eof' || portTok === 'error' || portTok.type !== 'alpha' || !/^\d+$/.test(portTok.value)) {
      const shown = portTok !== 'eof' && portTok !== 'error' && portTok.type !== 'eol' ? text.slice(portTok.start, portTok.end) : '';
      return fail(
        shown
          ? `Invalid port number ${quoted(shown)} in ${quoted(headerText)}: Kamailio exits with "Invalid port number".`
          : `Profile header ${quoted(headerText)} has no port number: Kamailio exits with "Premature end of file, port number missing".`,
        role,
      );
    }
    // Kamailio keeps the binary address: one canonical text per address (ipAddress.ts), so that
    // [0:0:0:0:0:0:0:1] and [::1] are the same profile target and match the same sockets.
    target = { kind: 'address', ip: family === 6 ? canonicalIp(ip) : ip, family, port: Number(portTok.value) };
  }

  // Closing bracket and end of line
  const closeTok = next();
  if (closeTok === 'eof' || closeTok === 'error' || closeTok.type === 'eol') {
    const fixed = `${headerText.trimEnd()}]`;
    return {
      role,
      target,
      end: headerEnd,
      problem: {
        code: 'tlscfg.bad-header',
        range: index.rangeOf(start, headerEnd),
        message: `Profile header ${quoted(headerText)} is missing its closing ']': Kamailio exits with "Syntax error, ']' expected".`,
        fixes: [{ title: `Change to ${quoted(fixed)}`, isPreferred: true, edits: [{ range: index.rangeOf(start, headerEnd), newText: fixed }] }],
      },
    };
  }
  if (closeTok.type !== 'delim' || closeTok.value !== ']') {
    if (target.kind === 'default' || target.kind === 'any') {
      const word = target.kind;
      return fail(
        `[${typeTok.value}:${word}] takes no port or address after ${quoted(hostTok.value)}: Kamailio exits with "Syntax error, ']' expected".`,
        role,
        `[${typeTok.value}:${hostTok.value}]`,
        undefined,
        target,
      );
    }
    return fail(`Unexpected ${quoted(text.slice(closeTok.start, closeTok.end))} in ${quoted(headerText)}: Kamailio exits with "Syntax error, ']' expected".`, role);
  }
  const after = next();
  if (after !== 'eof' && after !== 'error' && after.type !== 'eol') {
    return {
      role,
      target,
      end: closeTok.end,
      problem: {
        code: 'tlscfg.syntax',
        range: index.rangeOf(after.start, visibleEnd),
        message: `Unexpected text after the profile header: Kamailio exits with "End of line expected". A header must be alone on its line (a # comment may follow).`,
      },
    };
  }
  return { role, target, end: closeTok.end };
}

/** The rest of an IPv4 address after its first octet token; undefined when it is not one. */
function parseDottedQuad(first: Token, next: () => Token | 'eof' | 'error'): string | undefined {
  const octet = (s: string): boolean => /^\d+$/.test(s) && Number(s) <= 255;
  if (!octet(first.value)) return undefined;
  const parts = [String(Number(first.value))];
  for (let i = 1; i < 4; i++) {
    const dot = next();
    if (dot === 'eof' || dot === 'error' || dot.type !== 'delim' || dot.value !== '.') return undefined;
    const n = next();
    if (n === 'eof' || n === 'error' || n.type !== 'alpha' || !octet(n.value)) return undefined;
    parts.push(String(Number(n.value)));
  }
  return parts.join('.');
}

function splitUnbracketedIpv6(inner: string): { ip: string; port: string } | undefined {
  if (inner.includes('[') || (inner.match(/:/g) ?? []).length < 2) return undefined;
  const cut = inner.lastIndexOf(':');
  const ip = inner.slice(0, cut);
  const port = inner.slice(cut + 1);
  if (isIPv6(ip) && /^\d+$/.test(port)) return { ip, port };
  if (isIPv6(inner)) return { ip: inner, port: '5061' };
  return undefined;
}

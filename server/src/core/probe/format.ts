// The probe report for people: plain text for the terminal (`sip-tls probe`) and Markdown for
// the editor. Verdict first, then what is wrong, then the details an engineer compares with the
// server's tls.cfg. Both read only the report, which never holds key material.
import type { CertificateFacts } from '../features/certificateDetails';
import { hostPort } from './target';
import type { ProbeReport } from './types';
import { code, join, md, type Markdown } from '../util/markdown';
import { visibleControls } from '../util/visible';

function validity(c: CertificateFacts): string {
  const left = c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`;
  return `${c.notBefore} .. ${c.notAfter} (${left})`;
}

function timings(r: ProbeReport): string {
  const t = r.timings;
  const parts = [
    t.dnsMs !== null ? `DNS ${t.dnsMs} ms` : undefined,
    t.connectMs !== null ? `connect ${t.connectMs} ms` : undefined,
    t.handshakeMs !== null ? `handshake ${t.handshakeMs} ms` : undefined,
    t.sipMs !== null ? `SIP ${t.sipMs} ms` : undefined,
    `total ${t.totalMs} ms`,
  ];
  return parts.filter(Boolean).join(', ');
}

function clientCertWords(r: ProbeReport): string {
  const cc = r.clientCertificate;
  const asked = cc.requested === null ? 'unknown whether the server asks for one' : cc.requested ? 'the server asks for one' : 'the server does not ask for one';
  const offered = cc.offered ? 'one was offered (--cert)' : 'none offered';
  const refusal = cc.refusal ? `; refused: ${cc.refusal}` : '';
  return `${asked}; ${offered}${refusal}`;
}

function chainTitle(r: ProbeReport): string {
  const source = r.chainSource === 'wire' ? 'as sent by the server' : 'as rebuilt by Node: may include a root from the trust store';
  return `Certificate chain (${r.chain.length}, ${source})`;
}

export function formatProbeText(r: ProbeReport): string {
  const out: string[] = [r.verdict, ''];
  if (r.problems.length > 0) {
    out.push('Problems:');
    for (const p of r.problems) out.push(`  - ${p}`);
    out.push('');
  }
  const row = (label: string, value: string): void => {
    out.push(`  ${label.padEnd(16)}${value}`);
  };
  out.push('Connection');
  row('target', `${hostPort(r.target.host, r.target.port)}${r.target.address && r.target.address !== r.target.host ? ` (${r.target.address})` : ''}`);
  row('SNI', r.target.servername ?? '(none: IP address)');
  row('trust', r.target.trust);
  if (r.tls) {
    row('protocol', r.tls.protocol);
    row('cipher', r.tls.cipher);
    if (r.tls.keyExchange) row('key exchange', r.tls.keyExchange);
  }
  row('timings', timings(r));
  if (r.chain.length > 0) {
    out.push('', chainTitle(r));
    for (const c of r.chain) {
      out.push(`  [${c.position}] ${c.role}: ${c.subject}`);
      out.push(`      issuer    ${c.issuer}`);
      out.push(`      valid     ${validity(c)}`);
      if (c.names.length > 0) out.push(`      names     ${c.names.join(', ')}`);
      if (c.key) out.push(`      key       ${c.key}${c.signature ? `, signed ${c.signature}` : ''}`);
      out.push(`      sha256    ${c.sha256}`);
    }
    if (r.trustAnchor) out.push(`  trust anchor (not sent; from ${r.target.trust}): ${r.trustAnchor.subject}, ${validity(r.trustAnchor)}`);
  }
  if (!r.tls && r.clientCertificate.requested === null && !r.clientCertificate.refusal) return terminalLines(out);
  out.push('', 'Checks');
  if (r.verification) row('chain', r.verification.trusted ? 'trusted' : `NOT trusted: ${r.verification.code} (${r.verification.reason})`);
  if (r.hostname) row('host name', r.hostname.matches ? `${r.hostname.checked} matches` : `${r.hostname.checked} does NOT match`);
  row('client cert', clientCertWords(r));
  if (r.clientCertificate.acceptableCas.length > 0) row('acceptable CAs', r.clientCertificate.acceptableCas.join('; '));
  if (r.sip) {
    row('SIP OPTIONS', r.sip.statusLine ?? 'no final response');
    if (r.sip.server) row('SIP server', r.sip.server);
  }
  return terminalLines(out);
}

/** Subjects, names and the SIP status line come from the peer: no line may carry a control of its own. */
function terminalLines(lines: string[]): string {
  return lines.map(visibleControls).join('\n') + '\n';
}

/** A table row: the value is text from the network (subjects, status lines), escaped, `|` included. */
function tableRow(label: string, value: string): Markdown {
  return md`| ${label} | ${value} |`;
}

export function formatProbeMarkdown(r: ProbeReport): Markdown {
  const head: Markdown[] = [md`**${r.verdict}**`];
  if (r.problems.length > 0) head.push(join(r.problems.map((p) => md`- ${p}`), '\n'));
  const rows: Markdown[] = [md`| | |`, md`|---|---|`];
  const row = (label: string, value: string): void => {
    rows.push(tableRow(label, value));
  };
  row('Target', `${hostPort(r.target.host, r.target.port)}${r.target.address && r.target.address !== r.target.host ? ` (${r.target.address})` : ''}`);
  row('SNI', r.target.servername ?? '(none: IP address)');
  row('Trust', r.target.trust);
  if (r.tls) {
    row('Protocol', r.tls.protocol);
    row('Cipher', r.tls.cipher);
    if (r.tls.keyExchange) row('Key exchange', r.tls.keyExchange);
  }
  if (r.verification) row('Chain', r.verification.trusted ? 'trusted' : `not trusted: ${r.verification.code} (${r.verification.reason})`);
  if (r.hostname) row('Host name', r.hostname.matches ? `${r.hostname.checked} matches` : `${r.hostname.checked} does not match`);
  row('Client certificate', clientCertWords(r));
  if (r.clientCertificate.acceptableCas.length > 0) row('Acceptable CAs', r.clientCertificate.acceptableCas.join('; '));
  if (r.sip) row('SIP OPTIONS', `${r.sip.statusLine ?? 'no final response'}${r.sip.server ? ` (${r.sip.server})` : ''}`);
  row('Timings', timings(r));
  const sections = [...head, join(rows, '\n')];
  if (r.chain.length > 0) {
    sections.push(md`### ${chainTitle(r)}`);
    sections.push(join(r.chain.map((c) => join([
      md`${c.position + 1}. **${c.role}**: ${c.subject}  `,
      md`   issuer ${c.issuer}  `,
      md`   valid ${validity(c)}  `,
      c.names.length > 0 ? md`   names ${c.names.join(', ')}  ` : undefined,
      md`   SHA-256 ${code(c.sha256)}`,
    ], '\n')), '\n'));
    if (r.trustAnchor) sections.push(md`Trust anchor (not sent by the server): ${r.trustAnchor.subject}, ${validity(r.trustAnchor)}`);
  }
  return md`${join(sections, '\n\n')}\n`;
}

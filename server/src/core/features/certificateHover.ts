// Certificate, chain, CA list, CRL and key details for hovers on path values. The verdict comes
// first (the same findings as the Problems panel), then the facts: per certificate the subject,
// issuer, names, validity with days left, serial, the full SHA-256 fingerprint, key, signature
// and usages; the chain as peers will build it, with where each link comes from. Key hovers show
// type, size, encryption and whether the key matches the certificate — never key material.
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import type { Finding } from '../types';
import type { TlsProfile } from '../tlscfg/model';
import { code, join, md, type Markdown } from '../util/markdown';
import { caReport, certificateFileReport, keyReport, type CertificateFacts, type CertificateFileReport } from './certificateDetails';

export type PathHoverKind = 'certificate' | 'key' | 'ca-list' | 'crl' | 'directory';

const ICON: Record<string, string> = { error: '⛔', warning: '⚠️', information: 'ℹ️', hint: '💡' };
const RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** "⛔ cert.expired: …" for the worst finding, and how many more there are. */
function verdict(findings: Finding[], ok: Markdown): Markdown {
  if (findings.length === 0) return md`✅ ${ok}`;
  const sorted = [...findings].sort((a, b) => (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9));
  const worst = sorted[0]!;
  // The message quotes names and paths from files and certificates: it is text, never markup.
  const firstSentence = worst.message.replace(/^\[[^\]]*\][^:]*:\s*/, '').split(/(?<=[.!?])\s/)[0] ?? worst.message;
  const more = sorted.length > 1 ? md` (+${sorted.length - 1} more: ${join([...new Set(sorted.slice(1).map((f) => f.code))].map(code), ', ')})` : '';
  return md`${ICON[worst.severity] ?? ''} **${worst.code}**: ${firstSentence}${more}`;
}

function days(n: number): Markdown {
  if (n < 0) return md`**expired ${-n} day${n === -1 ? '' : 's'} ago**`;
  return md`${n} day${n === 1 ? '' : 's'} left`;
}

function certificateBlock(c: CertificateFacts, heading: string): Markdown {
  const rows = [
    md`**${heading}** — ${code(c.subject)}`,
    md`- Issuer: ${code(c.issuer)}`,
    c.names.length > 0 ? md`- Names: ${join(c.names.map(code), ', ')}` : undefined,
    md`- Valid: ${c.notBefore} to ${c.notAfter} (${days(c.daysLeft)})`,
    md`- Key: ${c.key}; signature ${c.signature}`,
    c.keyUsage.length > 0 || c.extendedKeyUsage.length > 0 ? md`- Usage: ${[...c.keyUsage, ...c.extendedKeyUsage].join(', ')}` : undefined,
    md`- Serial: ${code(c.serial)}`,
    md`- SHA-256: ${code(c.sha256)}`,
  ];
  return join(rows, '\n');
}

function okWords(r: CertificateFileReport): Markdown {
  const leaf = r.certificates.find((c) => c.role === 'leaf');
  const parts = [leaf ? md`valid until ${leaf.notAfter} (${days(leaf.daysLeft)})` : md`loads`];
  if (r.chain?.status === 'trusted') parts.push(md`chain trusted by the ${r.chain.trustedBy ?? 'trust store'}`);
  if (r.key?.matches) parts.push(md`private key matches`);
  return join(parts, '; ');
}

const CHAIN_STATUS: Record<string, string> = {
  'untrusted-root': 'ends at a root that no trust source holds',
  'unknown-issuer': 'breaks: the next issuer is nowhere to be found',
  'bad-signature': 'breaks: a certificate named like the issuer does not verify the signature',
};

function chainBlock(r: CertificateFileReport): Markdown | undefined {
  if (!r.chain) return undefined;
  const status = r.chain.status === 'trusted' ? md`reaches a trust anchor (${r.chain.trustedBy ?? ''})` : md`${CHAIN_STATUS[r.chain.status] ?? r.chain.status}`;
  const links = r.chain.links.map((l, i) => md`${i + 1}. ${code(l.subject)} — ${l.origin}${l.missing ? md` — **not sent by Kamailio**` : ''}`);
  return join([md`**Chain** as peers build it: ${status}`, ...links], '\n');
}

function notExamined(why: string): Markdown {
  return why === 'not readable' ? md`` : md`File not examined: ${why}.`;
}

export function certificateHover(deployment: Deployment, path: ResolvedPath, kind: PathHoverKind, profile: TlsProfile | undefined): Markdown {
  if (path.notAFile) return md``;
  try {
    if (kind === 'certificate') return certificateFileHover(deployment, path, profile);
    if (kind === 'key') return keyHover(deployment, path, profile);
    return caHover(deployment, path, kind, profile);
  } catch {
    return md``; // a hover never fails the request; the diagnostics say what is wrong with the file
  }
}

function certificateFileHover(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): Markdown {
  const r = certificateFileReport(deployment, path, profile);
  if (r.unavailable) return notExamined(r.unavailable);
  const sections = [verdict(r.findings, okWords(r)), md`Holds ${r.contents}.`];
  r.certificates.forEach((c, i) => sections.push(certificateBlock(c, `${i + 1}. ${c.role[0]!.toUpperCase()}${c.role.slice(1)}`)));
  sections.push(chainBlock(r) ?? md``);
  if (r.key) {
    const match = r.key.matches === undefined ? '' : r.key.matches ? md` — matches the certificate` : md` — **does not match the certificate**`;
    sections.push(md`**Private key** ${code(r.key.path)}: ${r.key.description}${r.key.encrypted ? ', encrypted' : ''}${match}`);
  }
  return join(sections, '\n\n');
}

function caHover(deployment: Deployment, path: ResolvedPath, kind: 'ca-list' | 'crl' | 'directory', profile: TlsProfile | undefined): Markdown {
  const r = caReport(deployment, path, kind, profile);
  if (r.unavailable) return notExamined(r.unavailable);
  const sections = [verdict(r.findings, kind === 'crl' ? md`${r.crls.length} CRL(s) load` : md`${r.total} CA certificate(s) load`), md`Holds ${r.contents}.`];
  for (const crl of r.crls) sections.push(md`**CRL** by ${code(crl.issuer)}: issued ${crl.thisUpdate}${crl.nextUpdate ? `, next update ${crl.nextUpdate}` : ''}; ${crl.revoked} revoked`);
  for (const c of r.certificates) sections.push(certificateBlock(c, c.role[0]!.toUpperCase() + c.role.slice(1)));
  if (r.total > r.certificates.length) sections.push(md`… and ${r.total - r.certificates.length} more (\`sip-tls show\` lists them all).`);
  return join(sections, '\n\n');
}

export function keyHover(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): Markdown {
  if (path.notAFile) return md``;
  try {
    const r = keyReport(deployment, path, profile);
    if (r.unavailable) return notExamined(r.unavailable);
    if (!r.key) return join([verdict(r.findings, md`loads`), md`Holds ${r.contents}: no private key.`], '\n\n');
    const ok = r.key.matches ? md`matches the certificate` : r.key.encrypted ? md`encrypted` : md`loads`;
    const match = r.key.matches === undefined ? undefined : r.key.matches ? md`Matches the certificate (same public key).` : md`**Does not match the certificate.**`;
    return join([verdict(r.findings, ok), md`**Private key**: ${r.key.description}${r.key.encrypted ? ', encrypted' : ''}.`, match], '\n\n');
  } catch {
    return md``;
  }
}

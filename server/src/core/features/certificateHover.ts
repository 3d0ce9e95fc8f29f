// Certificate, chain, CA list, CRL and key details for hovers on path values. The verdict comes
// first (the same findings as the Problems panel), then the facts: per certificate the subject,
// issuer, names, validity with days left, serial, the full SHA-256 fingerprint, key, signature
// and usages; the chain as peers will build it, with where each link comes from. Key hovers show
// type, size, encryption and whether the key matches the certificate — never key material.
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import type { Finding } from '../types';
import type { TlsProfile } from '../tlscfg/model';
import { caReport, certificateFileReport, keyReport, type CertificateFacts, type CertificateFileReport } from './certificateDetails';

export type PathHoverKind = 'certificate' | 'key' | 'ca-list' | 'crl' | 'directory';

const ICON: Record<string, string> = { error: '⛔', warning: '⚠️', information: 'ℹ️', hint: '💡' };
const RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** "⛔ cert.expired: …" for the worst finding, and how many more there are. */
function verdict(findings: Finding[], ok: string): string {
  if (findings.length === 0) return `✅ ${ok}`;
  const sorted = [...findings].sort((a, b) => (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9));
  const worst = sorted[0]!;
  const firstSentence = worst.message.replace(/^\[[^\]]*\][^:]*:\s*/, '').split(/(?<=[.!?])\s/)[0] ?? worst.message;
  const more = sorted.length > 1 ? ` (+${sorted.length - 1} more: ${[...new Set(sorted.slice(1).map((f) => f.code))].map((c) => `\`${c}\``).join(', ')})` : '';
  return `${ICON[worst.severity] ?? ''} **${worst.code}**: ${firstSentence}${more}`;
}

function days(n: number): string {
  if (n < 0) return `**expired ${-n} day${n === -1 ? '' : 's'} ago**`;
  return `${n} day${n === 1 ? '' : 's'} left`;
}

function certificateBlock(c: CertificateFacts, heading: string): string {
  const rows = [
    `**${heading}** — ${c.subject}`,
    `- Issuer: ${c.issuer}`,
    c.names.length > 0 ? `- Names: ${c.names.join(', ')}` : undefined,
    `- Valid: ${c.notBefore} to ${c.notAfter} (${days(c.daysLeft)})`,
    `- Key: ${c.key}; signature ${c.signature}`,
    c.keyUsage.length > 0 || c.extendedKeyUsage.length > 0 ? `- Usage: ${[...c.keyUsage, ...c.extendedKeyUsage].join(', ')}` : undefined,
    `- Serial: \`${c.serial}\``,
    `- SHA-256: \`${c.sha256}\``,
  ];
  return rows.filter((r) => r !== undefined).join('\n');
}

function okWords(r: CertificateFileReport): string {
  const leaf = r.certificates.find((c) => c.role === 'leaf');
  const parts = [leaf ? `valid until ${leaf.notAfter} (${days(leaf.daysLeft)})` : 'loads'];
  if (r.chain?.status === 'trusted') parts.push(`chain trusted by the ${r.chain.trustedBy ?? 'trust store'}`);
  if (r.key?.matches) parts.push('private key matches');
  return parts.join('; ');
}

function chainBlock(r: CertificateFileReport): string | undefined {
  if (!r.chain) return undefined;
  const status = {
    trusted: `reaches a trust anchor (${r.chain.trustedBy ?? ''})`,
    'untrusted-root': 'ends at a root that no trust source holds',
    'unknown-issuer': 'breaks: the next issuer is nowhere to be found',
    'bad-signature': 'breaks: a certificate named like the issuer does not verify the signature',
  }[r.chain.status];
  const links = r.chain.links.map((l, i) => `${i + 1}. ${l.subject} — ${l.origin}${l.missing ? ' — **not sent by Kamailio**' : ''}`);
  return [`**Chain** as peers build it: ${status}`, ...links].join('\n');
}

export function certificateHover(deployment: Deployment, path: ResolvedPath, kind: PathHoverKind, profile: TlsProfile | undefined): string {
  if (path.notAFile) return '';
  try {
    if (kind === 'certificate') return certificateFileHover(deployment, path, profile);
    if (kind === 'key') return keyHover(deployment, path, profile);
    return caHover(deployment, path, kind, profile);
  } catch {
    return ''; // a hover never fails the request; the diagnostics say what is wrong with the file
  }
}

function certificateFileHover(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): string {
  const r = certificateFileReport(deployment, path, profile);
  if (r.unavailable) return r.unavailable === 'not readable' ? '' : `File not examined: ${r.unavailable}.`;
  const sections = [verdict(r.findings, okWords(r)), `Holds ${r.contents}.`];
  r.certificates.forEach((c, i) => sections.push(certificateBlock(c, `${i + 1}. ${c.role[0]!.toUpperCase()}${c.role.slice(1)}`)));
  const chain = chainBlock(r);
  if (chain) sections.push(chain);
  if (r.key) {
    const match = r.key.matches === undefined ? '' : r.key.matches ? ' — matches the certificate' : ' — **does not match the certificate**';
    sections.push(`**Private key** ${r.key.path}: ${r.key.description}${r.key.encrypted ? ', encrypted' : ''}${match}`);
  }
  return sections.join('\n\n');
}

function caHover(deployment: Deployment, path: ResolvedPath, kind: 'ca-list' | 'crl' | 'directory', profile: TlsProfile | undefined): string {
  const r = caReport(deployment, path, kind, profile);
  if (r.unavailable) return r.unavailable === 'not readable' ? '' : `File not examined: ${r.unavailable}.`;
  const sections = [verdict(r.findings, kind === 'crl' ? `${r.crls.length} CRL(s) load` : `${r.total} CA certificate(s) load`), `Holds ${r.contents}.`];
  for (const crl of r.crls) sections.push(`**CRL** by ${crl.issuer}: issued ${crl.thisUpdate}${crl.nextUpdate ? `, next update ${crl.nextUpdate}` : ''}; ${crl.revoked} revoked`);
  for (const c of r.certificates) sections.push(certificateBlock(c, c.role[0]!.toUpperCase() + c.role.slice(1)));
  if (r.total > r.certificates.length) sections.push(`… and ${r.total - r.certificates.length} more (\`sip-tls show\` lists them all).`);
  return sections.join('\n\n');
}

export function keyHover(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): string {
  if (path.notAFile) return '';
  try {
    const r = keyReport(deployment, path, profile);
    if (r.unavailable) return r.unavailable === 'not readable' ? '' : `File not examined: ${r.unavailable}.`;
    if (!r.key) return [verdict(r.findings, 'loads'), `Holds ${r.contents}: no private key.`].join('\n\n');
    const ok = r.key.matches ? 'matches the certificate' : r.key.encrypted ? 'encrypted' : 'loads';
    const match = r.key.matches === undefined ? '' : r.key.matches ? 'Matches the certificate (same public key).' : '**Does not match the certificate.**';
    return [verdict(r.findings, ok), `**Private key**: ${r.key.description}${r.key.encrypted ? ', encrypted' : ''}.`, match].filter((x) => x !== '').join('\n\n');
  } catch {
    return '';
  }
}

// The report on one PEM/DER file without a configuration around it — `sip-tls show FILE` and the
// editor's "Show certificate report" on a file: what it holds, every certificate in detail, the
// chain a peer builds from it (trusting the given CA files and the public roots), the key and
// whether it matches, CRLs, and the problems in plain words. Never any key material.
import * as posix from 'node:path/posix';
import type { FileProbe } from '../fileProbe';
import { isSelfSigned, isoDay } from '../pki/certificate';
import { CertificatePool, analyseOrder, buildChain, findLeafIndex, type TrustContext } from '../pki/chain';
import { certificateModels, describeBrokenEntry, describeContents } from '../pki/bundle';
import { loadPki } from '../pki/load';
import { publicRoots } from '../pki/publicRoots';
import { certificateFacts, keyFacts, originWords, roleOf, type CertificateFacts, type KeyFacts } from './certificateDetails';
import { issuersBeside } from './fullchain';
import { code, join, md, type Markdown } from '../util/markdown';
import { visibleControls } from '../util/visible';
import { elideSecretLooking } from '../quote';

export interface FileReportOptions {
  /** CA files (absolute) whose certificates are trusted and may complete the chain. */
  trust: string[];
  /** Days before expiry that count as "expires soon". */
  expiryDays: number;
}

export interface FileReport {
  path: string;
  contents: string;
  certificates: CertificateFacts[];
  chain?: { status: string; trustedBy?: string; links: { subject: string; origin: string }[] };
  key?: KeyFacts;
  crls: { issuer: string; thisUpdate: string; nextUpdate?: string; revoked: number }[];
  /** What is wrong, one sentence each; empty when nothing is. */
  problems: string[];
  /** The file could not be examined (missing, a folder, a device, over the size limit). */
  unavailable?: string;
}

export function fileReport(probe: FileProbe, local: string, options: FileReportOptions): FileReport {
  const report = examineFile(probe, local, options);
  // A sentence may name a block label or a certificate name from the file: no key-like run.
  return { ...report, contents: elideSecretLooking(report.contents), problems: report.problems.map(elideSecretLooking) };
}

function examineFile(probe: FileProbe, local: string, options: FileReportOptions): FileReport {
  const empty = { path: local, contents: '', certificates: [], crls: [], problems: [] };
  const st = probe.stat(local);
  if ('error' in st) return { ...empty, unavailable: `${st.error.replace(/-/g, ' ')}${st.detail ? `: ${st.detail}` : ''}` };
  if (st.kind !== 'file') return { ...empty, unavailable: `not a regular file (${st.kind})` };
  const loaded = loadPki(probe, local, 'ca');
  if (!loaded.ok) return { ...empty, unavailable: loaded.reason === 'too-large' ? `${loaded.size} bytes, over the ${loaded.limit / 1024 / 1024} MiB examined` : 'not readable' };
  const file = loaded.file;
  const now = probe.now();
  const certs = certificateModels(file);
  const spki = file.keys[0]?.key.publicKey?.spkiSha256;
  const leafIndex = findLeafIndex(certs, spki);
  const leaf = certs[leafIndex];
  const problems: string[] = [];

  for (const e of file.broken) problems.push(`${describeBrokenEntry(e)}.`);
  if (file.format === 'der') problems.push(`It is ${describeContents(file)}: Kamailio reads PEM only.`);
  // An empty file, text, or PEM blocks of other kinds (a CSR, a public key): having nothing to
  // report on is the problem (cert.unreadable: "Unable to load certificate file"), not "Verdict: OK".
  else if (file.certificates.length === 0 && file.keys.length === 0 && file.crls.length === 0 && file.broken.length === 0) {
    problems.push(`It holds ${describeContents(file)}: no certificate, private key or CRL that Kamailio could load.`);
  }
  certs.forEach((c, i) => {
    const name = `'${c.displayName}'`;
    if (now > c.notAfter) problems.push(`${name} expired on ${isoDay(c.notAfter)}.`);
    else if (now < c.notBefore) problems.push(`${name} is not valid before ${isoDay(c.notBefore)}.`);
    else if (i === leafIndex && c.notAfter.getTime() - now.getTime() < options.expiryDays * 86_400_000) problems.push(`${name} expires on ${isoDay(c.notAfter)}, in less than ${options.expiryDays} days.`);
  });

  const report: FileReport = {
    path: local,
    contents: describeContents(file),
    certificates: certs.map((c, i) => certificateFacts(c, now, roleOf(c, i, leafIndex))),
    crls: file.entries.flatMap((e) => (e.crl ? [{ issuer: e.crl.issuer.text, thisUpdate: isoDay(e.crl.thisUpdate), ...(e.crl.nextUpdate ? { nextUpdate: isoDay(e.crl.nextUpdate) } : {}), revoked: e.crl.revokedCount }] : [])),
    problems,
  };
  const key = keyFacts(file, local, leaf);
  if (key) {
    report.key = key;
    if (key.matches === false) problems.push('The private key does not belong to the certificate.');
  }
  if (!leaf) return report;

  const order = analyseOrder(certs, leafIndex);
  if (!order.leafFirst) problems.push(`The leaf '${leaf.displayName}' is certificate ${leafIndex + 1}, not the first: Kamailio presents the first certificate of the file as its own.`);
  else if (!order.ordered && order.extras.length === 0) problems.push('The certificates are not in chain order (each one followed by its issuer).');

  const configured = new CertificatePool();
  for (const path of options.trust) {
    const r = loadPki(probe, path, 'ca');
    if (r.ok) for (const c of r.file.certificates) configured.add(c.certificate, { kind: 'trust-anchor', path });
  }
  const trust: TrustContext = { configured: new CertificatePool(), anchors: configured, publicRoots, search: (child) => issuersBeside(probe, local, child) };
  const chain = buildChain(certs, leafIndex, trust);
  report.chain = {
    status: chain.status,
    ...(chain.trustedBy ? { trustedBy: originWords(chain.trustedBy) } : {}),
    links: chain.links.map((l) => ({ subject: l.cert.displayName, origin: originWords(l.origin) })),
  };
  for (const m of chain.missing) problems.push(`The file lacks the intermediate '${m.cert.displayName}' (found in ${originWords(m.origin)}): peers without it cannot build the chain.`);
  if (chain.status === 'unknown-issuer') problems.push(`The issuer of '${chain.stuckAt?.displayName ?? leaf.displayName}' ('${chain.stuckAt?.issuer.text ?? ''}') is not in the file, the CA files given, or the public roots.`);
  if (chain.status === 'bad-signature') problems.push(`'${chain.badIssuer?.cert.displayName ?? ''}' is named like the issuer of '${chain.stuckAt?.displayName ?? ''}' but did not sign it.`);
  if (chain.status === 'untrusted-root') problems.push(`The chain ends at the root '${chain.links[chain.links.length - 1]!.cert.displayName}', which is not a public root nor in the CA files given (--ca).`);
  if (isSelfSigned(leaf) && chain.status !== 'trusted') problems.push(`'${leaf.displayName}' is self-signed.`);
  return report;
}

// --- rendering ---------------------------------------------------------------------------------

/** One detail of a certificate: a label, the value, and whether the value is read from the certificate (shown as code). */
type CertRow = [label: string, value: string, fromCertificate: boolean];

function certRows(c: CertificateFacts): CertRow[] {
  const days = c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`;
  const rows: (CertRow | undefined)[] = [
    ['Subject', c.subject, true],
    ['Issuer', c.issuer, true],
    c.names.length > 0 ? ['Names', c.names.join(', '), true] : undefined,
    ['Valid', `${c.notBefore} to ${c.notAfter} (${days})`, false],
    ['Key', c.key, false],
    ['Signature', c.signature, false],
    c.keyUsage.length + c.extendedKeyUsage.length > 0 ? ['Usage', [...c.keyUsage, ...c.extendedKeyUsage].join(', '), false] : undefined,
    ['CA', c.ca ? 'yes' : 'no', false],
    ['Serial', c.serial, true],
    ['SHA-256', c.sha256, true],
  ];
  return rows.filter((r): r is CertRow => r !== undefined);
}

const CHAIN_WORDS: Record<string, string> = {
  trusted: 'reaches a trust anchor',
  'untrusted-root': 'ends at a root nobody trusts',
  'unknown-issuer': 'breaks: an issuer is missing',
  'bad-signature': 'breaks: a signature does not verify',
};

function keyWords(key: KeyFacts): { text: string; matches?: boolean } {
  return { text: `${key.description}${key.encrypted ? ', encrypted' : ''}`, ...(key.matches === undefined ? {} : { matches: key.matches }) };
}

/** Plain text for a terminal: every line made visible, so that no field can write a line of its own. */
export function fileReportText(r: FileReport): string {
  if (r.unavailable) return visibleControls(`${r.path}: cannot be examined: ${r.unavailable}`) + '\n';
  const out = [`${r.path}: ${r.contents}`, r.problems.length === 0 ? 'Verdict: OK' : `Verdict: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`];
  for (const p of r.problems) out.push(`  - ${p}`);
  r.certificates.forEach((c, i) => out.push('', `Certificate ${i + 1} (${c.role})`, ...certRows(c).map(([label, value]) => `  ${`${label}:`.padEnd(13)}${value}`)));
  if (r.chain) {
    out.push('', `Chain as peers build it: ${CHAIN_WORDS[r.chain.status] ?? r.chain.status}${r.chain.trustedBy ? ` (${r.chain.trustedBy})` : ''}`);
    r.chain.links.forEach((l, i) => out.push(`  ${i + 1}. ${l.subject} — ${l.origin}`));
  }
  if (r.key) {
    const k = keyWords(r.key);
    out.push('', `Private key: ${k.text}${k.matches === undefined ? '' : k.matches ? ' — matches the certificate' : ' — does NOT match the certificate'}`);
  }
  for (const c of r.crls) out.push('', `CRL by ${c.issuer}: issued ${c.thisUpdate}${c.nextUpdate ? `, next update ${c.nextUpdate}` : ''}, ${c.revoked} revoked`);
  return out.map(visibleControls).join('\n') + '\n';
}

export function fileReportMarkdown(r: FileReport): Markdown {
  if (r.unavailable) return md`# ${r.path}\n\nCannot be examined: ${r.unavailable}.\n`;
  const out: Markdown[] = [md`# ${posix.basename(r.path)}`, md`${code(r.path)} holds ${r.contents}.`];
  const verdict = r.problems.length === 0 ? md`✅ **No problem found.**` : md`⛔ **${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:**`;
  out.push(join([verdict, ...r.problems.map((p) => md`- ${p}`)], '\n'));
  r.certificates.forEach((c, i) => {
    out.push(md`## Certificate ${i + 1} (${c.role})`, join(certRows(c).map(([label, value, fromCertificate]) => md`- **${label}**: ${fromCertificate ? code(value) : value}`), '\n'));
  });
  if (r.chain) {
    out.push(md`## Chain`, md`As peers build it: ${CHAIN_WORDS[r.chain.status] ?? r.chain.status}${r.chain.trustedBy ? ` (${r.chain.trustedBy})` : ''}.`);
    out.push(join(r.chain.links.map((l, i) => md`${i + 1}. ${code(l.subject)} — ${l.origin}`), '\n'));
  }
  if (r.key) {
    const k = keyWords(r.key);
    out.push(md`## Private key`, md`${k.text}${k.matches === undefined ? '' : k.matches ? ' — matches the certificate.' : md` — **does not match the certificate.**`}`);
  }
  for (const c of r.crls) out.push(md`## CRL`, md`By ${code(c.issuer)}: issued ${c.thisUpdate}${c.nextUpdate ? `, next update ${c.nextUpdate}` : ''}; ${c.revoked} revoked.`);
  return md`${join(out, '\n\n')}\n`;
}

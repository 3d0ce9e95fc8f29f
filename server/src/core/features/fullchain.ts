// "Create fullchain file": the leaf of a certificate file followed by every intermediate up to
// (not including) the root, in chain order — what Kamailio must present, since it sends exactly
// the certificate file (SSL_CTX_use_certificate_chain_file, reference §6). The issuers come from
// the file itself, the CA files given, and the PEM files beside the certificate: the same search
// as the chain.incomplete quick fix. The root is left out: peers must already have it.
import * as posix from 'node:path/posix';
import type { FileProbe } from '../fileProbe';
import { isSelfSigned, type CertificateModel } from '../pki/certificate';
import { CertificatePool, buildChain, findLeafIndex, type PooledCertificate } from '../pki/chain';
import { toPem } from '../pki/pem';
import { loadPki } from '../pki/load';
import { certificateModels } from '../pki/bundle';
import { publicRoots } from '../pki/publicRoots';
import { caFilesFirst } from '../rules/certContext';
import { originWords } from './certificateDetails';
import { freeSiblingName } from '../freeName';

export type FullchainResult =
  | { ok: true; content: string; suggestedPath: string; certificates: { subject: string; origin: string }[]; complete: boolean; note?: string }
  | { ok: false; reason: string };

function pemFilesIn(probe: FileProbe, dir: string): string[] {
  const names = probe.host.readDir(dir);
  if (!Array.isArray(names)) return [];
  return names.filter((n) => /\.(pem|crt|cer|cert|chain|ca-bundle)$/i.test(n)).sort().slice(0, 200).map((n) => posix.join(dir, n));
}


/**
 * Issuers of `child` in the PEM files beside `local` (not `local` itself): files of CA
 * certificates only first, so that an intermediate is named after intermediate.crt rather than
 * another leaf's full chain.
 */
export function issuersBeside(probe: FileProbe, local: string, child: CertificateModel): PooledCertificate[] {
  const out: PooledCertificate[] = [];
  const files = pemFilesIn(probe, posix.dirname(local)).filter((p) => p !== local).map((path) => ({ path, result: loadPki(probe, path, 'certificate') }));
  for (const { path, result } of caFilesFirst(files)) {
    if (result.ok) for (const c of result.file.certificates) if (c.certificate.subject.canonical === child.issuer.canonical) out.push({ cert: c.certificate, origin: { kind: 'found', path } });
  }
  return out;
}

export function buildFullchain(probe: FileProbe, local: string, caFiles: string[] = []): FullchainResult {
  const loaded = loadPki(probe, local, 'certificate');
  if (!loaded.ok) return { ok: false, reason: loaded.reason === 'too-large' ? 'the file is too large to be a certificate' : 'the file cannot be read' };
  const certs = certificateModels(loaded.file);
  if (certs.length === 0) return { ok: false, reason: `it holds ${loaded.file.entries.length === 0 ? 'no PEM certificate' : 'no certificate'}` };
  const leafIndex = findLeafIndex(certs);
  const anchors = new CertificatePool();
  for (const path of caFiles) {
    const r = loadPki(probe, path, 'ca');
    if (r.ok) for (const c of r.file.certificates) anchors.add(c.certificate, { kind: 'trust-anchor', path });
  }
  const search = (child: CertificateModel) => issuersBeside(probe, local, child);
  // The CA files count as places to find intermediates, not as trust: every intermediate found
  // must go into the file.
  const chain = buildChain(certs, leafIndex, { configured: anchors, anchors: new CertificatePool(), publicRoots, search });
  const toSend = chain.links.filter((l) => !isSelfSigned(l.cert));
  const content = toSend.map((l) => toPem('CERTIFICATE', l.cert.der)).join('');
  const complete = chain.status === 'trusted' || chain.status === 'untrusted-root';
  return {
    ok: true,
    content,
    suggestedPath: freeSiblingName(probe, local, 'fullchain'),
    certificates: toSend.map((l) => ({ subject: l.cert.displayName, origin: originWords(l.origin) })),
    complete,
    ...(complete ? {} : { note: `the issuer of '${chain.stuckAt?.displayName ?? certs[leafIndex]!.displayName}' was not found beside the certificate nor in the CA files given: the chain stops there` }),
  };
}

// The name index of pki/names.ts answers without scanning a certificate's SANs; it must answer
// exactly what OpenSSL's X509_check_host (node:crypto checkHost) answers, for every shape of SAN
// list: exact names, wildcards in the left-most label, partial wildcards, upper case, trailing
// dots, misplaced stars, no DNS SAN at all (the CN then counts). Seeded random certificates and
// host names, each asked both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCertificate } from '../../../server/src/core/pki/certificate';
import { CoverageIndex, coversHost, coversSubdomains } from '../../../server/src/core/pki/names';
import { P256, TestPki } from '../../fixtures/pki';
import { Rng } from '../../helpers/fuzz/prng';

const LABELS = ['a', 'b', 'sip', 'www', 'x1', 'pbx', 'example', 'test'];
const DOMAINS = ['example.com', 'example.net', 'sub.example.com', 'b.example.com'];

function sanName(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const domain = pick(DOMAINS);
  const r = rnd();
  const name =
    r < 0.45 ? `${pick(LABELS)}.${domain}` : r < 0.6 ? `*.${domain}` : r < 0.7 ? `${pick(LABELS)}*.${domain}` : r < 0.75 ? `a.*.${domain}` : r < 0.8 ? domain : r < 0.85 ? `${pick(LABELS)}.${domain}.` : `${pick(LABELS)}.${pick(LABELS)}.${domain}`;
  return rnd() < 0.15 ? name.toUpperCase() : name;
}

function hostName(rnd: () => number, sans: string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  if (r < 0.3 && sans.length > 0) return pick(sans).replace(/\*/g, pick(LABELS)).replace(/\.$/, '');
  if (r < 0.4) return `${pick(LABELS)}.${pick(LABELS)}.${pick(DOMAINS)}`;
  if (r < 0.5) return pick(DOMAINS).toUpperCase();
  if (r < 0.55) return 'sip.example.com';
  return `${pick(LABELS)}.${pick(DOMAINS)}`;
}

function openssl(x509: import('node:crypto').X509Certificate, host: string): boolean {
  return x509.checkHost(host.replace(/\.$/, ''), { subject: 'default', wildcards: true, partialWildcards: true, multiLabelWildcards: false, singleLabelSubdomains: false }) !== undefined;
}

test('name index: coversHost, coversSubdomains and CoverageIndex answer as checkHost does, over 60 random SAN lists', () => {
  const rng = new Rng(20261203);
  const rnd = (): number => rng.next();
  const pki = new TestPki(new Date('2026-01-15T12:00:00Z'));
  const certs: { model: ReturnType<typeof parseCertificate>; x509: import('node:crypto').X509Certificate }[] = [];
  let compared = 0;
  for (let c = 0; c < 60; c++) {
    const count = c % 10 === 0 ? 0 : 1 + Math.floor(rnd() * 8);
    const sans = Array.from({ length: count }, () => sanName(rnd));
    const issued = pki.selfSigned('sip.example.com', { key: P256, dns: sans });
    const model = parseCertificate(issued.der);
    certs.push({ model, x509: issued.x509 });
    for (let h = 0; h < 40; h++) {
      const host = hostName(rnd, sans);
      assert.equal(coversHost(model, host), openssl(issued.x509, host), `SANs ${JSON.stringify(sans)}, host ${host}`);
      const lower = host.toLowerCase();
      const below = openssl(issued.x509, `sip-tls-subdomain-probe.${lower}`) || model.dnsNames.some((n) => n.toLowerCase().endsWith(`.${lower}`) && !n.startsWith('*'));
      assert.equal(coversSubdomains(model, host), below, `subdomains of ${host} with SANs ${JSON.stringify(sans)}`);
      compared++;
    }
  }
  for (let i = 0; i < 20; i++) {
    const group = certs.filter(() => rnd() < 0.2);
    const index = new CoverageIndex(group.map((c) => c.model));
    for (let h = 0; h < 40; h++) {
      const host = hostName(rnd, group.flatMap((c) => c.model.dnsNames));
      assert.equal(index.coversHost(host), group.some((c) => openssl(c.x509, host)), `host ${host} in a group of ${group.length}`);
    }
  }
  assert.ok(compared >= 2400);
});

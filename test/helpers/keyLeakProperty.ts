// The leak property, generated: key material in every form (keyMaterial.ts) × every place a file
// is read as text or as PKI (tls.cfg via modparam "config", a file of a config folder,
// include_file, import_file, the main configuration, a tls.cfg open in the editor, a key pasted
// into tls.cfg or kamailio.cfg, certificate/private_key/ca_list naming the material with garbage
// around it) × every output (findings with related locations and fixes; text, JSON and SARIF;
// hovers, document links and symbols; the file report in text, Markdown and JSON). No output may
// hold 16 characters of the key file's base64, a 16-byte run of the key's DER, or 8 bytes of a
// private component in hex (helpers/secrets.ts). The unit layer runs it small, the integration
// layer large, and the LSP/CLI leak test runs a sample of the same cases through the real bundles.
import * as posix from 'node:path/posix';
import type { KeyObject } from 'node:crypto';
import { Checker } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/memoryHost';
import { FileProbe } from '../../server/src/core/fileProbe';
import { defaultSettings } from '../../server/src/core/settings';
import { decodeText } from '../../server/src/core/text';
import { hoverAt } from '../../server/src/core/features/hover';
import { documentLinks, documentSymbols } from '../../server/src/core/features/navigation';
import { fileReport, fileReportMarkdown, fileReportText } from '../../server/src/core/features/fileReport';
import { formatText } from '../../server/src/cli/formatText';
import { formatJson } from '../../server/src/cli/formatJson';
import { formatSarif } from '../../server/src/cli/formatSarif';
import type { Finding } from '../../server/src/core/types';
import { ED25519, P256, P384, RSA2048, TestPki, keyPem, newKey, type KeySpec } from '../fixtures/pki';
import { materialForms, privateComponentsHex, type MaterialForm } from './keyMaterial';
import { SecretScanner } from './secrets';

export type LeakSize = 'small' | 'large';
export type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

export const DIR = '/etc/kamailio';
const KAMAILIO_HEAD = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\n';
const GOOD_TLS = (cert = 'server.crt', key = 'server.key', ca = 'ca.crt') => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${cert}\nprivate_key = ${key}\nca_list = ${ca}\n`;

export type Place =
  | 'tls-config'
  | 'tls-config-folder'
  | 'include-file'
  | 'import-file'
  | 'main'
  | 'open-tls-document'
  | 'pasted-into-tls'
  | 'pasted-into-kamailio'
  | 'as-certificate'
  | 'as-private-key'
  | 'as-ca-list';

export const PLACES: readonly Place[] = ['tls-config', 'tls-config-folder', 'include-file', 'import-file', 'main', 'open-tls-document', 'pasted-into-tls', 'pasted-into-kamailio', 'as-certificate', 'as-private-key', 'as-ca-list'];

/** What must be reported where the material is read as a whole file (the mechanism fired). */
export const EXPECTED: Partial<Record<Place, { code: string; file: string }>> = {
  'tls-config': { code: 'tlscfg.syntax', file: `${DIR}/kamailio.cfg` },
  'tls-config-folder': { code: 'tlscfg.syntax', file: `${DIR}/kamailio.cfg` },
  'include-file': { code: 'kamcfg.syntax', file: `${DIR}/kamailio.cfg` },
  'import-file': { code: 'kamcfg.syntax', file: `${DIR}/kamailio.cfg` },
  main: { code: 'kamcfg.syntax', file: `${DIR}/kamailio.cfg` },
  'open-tls-document': { code: 'project.not-checked', file: `${DIR}/tls.cfg` },
};

export interface LeakCase {
  name: string;
  place: Place;
  form: MaterialForm;
  /** Files on disk. */
  files: Record<string, string | Uint8Array>;
  /** An open editor document (its text replaces the file). */
  overlay?: { file: string; text: string; language: 'kamailio' | 'kamailio-tls' };
  /** The files the check is asked about (the CLI arguments, the open documents). */
  requested: string[];
  /** The file holding the material (for the file report). */
  materialFile: string;
}

export interface KeyUnderTest {
  name: string;
  privateKey: KeyObject;
  forms: MaterialForm[];
  scanner: SecretScanner;
  /** The certificate of the key and the CA's, for the places that need a working PKI around. */
  certPem: string;
  caPem: string;
}

const GARBAGE = ['', 'garbage before the key\n', '# a comment line\n\n', '\uFEFF', 'Bag Attributes\n    friendlyName: sip\n'];

/** The keys of a run, each with every form and a scanner that knows all of them. */
export function keysUnderTest(size: LeakSize, pairs?: readonly KeyPair[]): KeyUnderTest[] {
  const specs: KeySpec[] = size === 'small' ? [RSA2048, P256, ED25519] : [RSA2048, RSA2048, { type: 'rsa', bits: 3072 }, P256, P256, P384, ED25519, ED25519];
  const pki = new TestPki();
  const root = pki.root('Leak Property Root', { key: P256 });
  return specs.map((spec, i) => {
    const pair = pairs?.[i] ?? newKey(spec, true);
    const leaf = pki.leaf(root, 'sip.example.com', { keyPair: pair });
    const forms = materialForms(pair.privateKey, leaf);
    const publicDers = [root.der, leaf.der, new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })), new Uint8Array(root.publicKey.export({ type: 'spki', format: 'der' }))];
    const scanner = new SecretScanner();
    scanner.addKey(pair.privateKey, forms.filter((f) => f.secret).map((f) => Buffer.from(f.bytes).toString('latin1')).filter((t) => t.includes('-----BEGIN')), publicDers);
    for (const f of forms) if (f.secret) scanner.addEncoded(Buffer.from(f.bytes).toString('latin1'), publicDers);
    for (const f of forms) if (f.secret && !isText(f.bytes)) scanner.addSecretDer(f.bytes, publicDers);
    scanner.addPrivateHex(privateComponentsHex(pair.privateKey));
    return { name: `${spec.type}${'bits' in spec ? spec.bits : 'curve' in spec ? spec.curve : ''}#${i}`, privateKey: pair.privateKey, forms, scanner, certPem: leaf.pem, caPem: root.pem };
  });
}

/** A form that reads as text (PEM, JWK, OpenSSH, the text dump) rather than DER or PKCS#12. */
export function isText(bytes: Uint8Array): boolean {
  return !bytes.subarray(0, 64).some((b) => b === 0 || (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09));
}

/** A key pasted into a configuration makes sense for text forms only. */
function pastable(form: MaterialForm): boolean {
  return isText(form.bytes) && form.secret;
}

export function leakCases(key: KeyUnderTest, size: LeakSize): LeakCase[] {
  const out: LeakCase[] = [];
  const kam = `${DIR}/kamailio.cfg`;
  const tls = `${DIR}/tls.cfg`;
  const pkiFiles = { [`${DIR}/server.crt`]: key.certPem, [`${DIR}/server.key`]: keyPem(key.privateKey, 'pkcs8'), [`${DIR}/ca.crt`]: key.caPem };
  const withTls = (config: string) => `${KAMAILIO_HEAD}modparam("tls", "config", "${config}")\nlisten=tls:127.0.0.1:5061\n`;
  const garbage = size === 'small' ? GARBAGE.slice(0, 2) : GARBAGE;
  for (const form of key.forms) {
    const text = Buffer.from(form.bytes).toString('utf8');
    const add = (place: Place, files: Record<string, string | Uint8Array>, materialFile: string, requested = [kam], overlay?: LeakCase['overlay']) =>
      out.push({ name: `${key.name} ${form.name} @${place}`, place, form, files, requested, materialFile, ...(overlay ? { overlay } : {}) });
    add('tls-config', { [kam]: withTls('material.key'), [`${DIR}/material.key`]: form.bytes }, `${DIR}/material.key`);
    add('tls-config-folder', { [kam]: withTls('tls.d'), [`${DIR}/tls.d/10-main.cfg`]: GOOD_TLS(`${DIR}/server.crt`, `${DIR}/server.key`, `${DIR}/ca.crt`), [`${DIR}/tls.d/20-material.cfg`]: form.bytes, ...pkiFiles }, `${DIR}/tls.d/20-material.cfg`);
    add('include-file', { [kam]: `${KAMAILIO_HEAD}include_file "material.key"\nlisten=tls:127.0.0.1:5061\n`, [`${DIR}/material.key`]: form.bytes }, `${DIR}/material.key`);
    add('import-file', { [kam]: `${KAMAILIO_HEAD}import_file "material.key"\nlisten=tls:127.0.0.1:5061\n`, [`${DIR}/material.key`]: form.bytes }, `${DIR}/material.key`);
    add('main', { [kam]: form.bytes }, kam);
    // The editor opened it as kamailio/tls.cfg; the disk holds something else.
    add('open-tls-document', { [tls]: '# not yet saved\n' }, tls, [tls], { file: tls, text: decodeText(form.bytes), language: 'kamailio-tls' });
    if (pastable(form)) {
      add('pasted-into-tls', { [kam]: withTls('tls.cfg'), [tls]: `${GOOD_TLS().replace('private_key = server.key\n', `private_key = ${text}\n`)}`, ...pkiFiles }, tls);
      add('pasted-into-kamailio', { [kam]: `${withTls('tls.cfg')}${text}\nrequest_route { drop; }\n`, [tls]: GOOD_TLS(), ...pkiFiles }, kam);
    }
    for (const g of garbage) {
      const wrapped = isText(form.bytes) ? new Uint8Array(Buffer.from(`${g}${text}\n${g}`, 'utf8')) : form.bytes;
      const suffix = g === '' ? '' : ` garbage ${JSON.stringify(g.slice(0, 8))}`;
      const place = (p: Place, tlsText: string) => out.push({ name: `${key.name} ${form.name} @${p}${suffix}`, place: p, form, files: { [kam]: withTls('tls.cfg'), [tls]: tlsText, ...pkiFiles, [`${DIR}/material.pem`]: wrapped }, requested: [kam], materialFile: `${DIR}/material.pem` });
      place('as-certificate', GOOD_TLS('material.pem'));
      place('as-private-key', GOOD_TLS('server.crt', 'material.pem'));
      place('as-ca-list', GOOD_TLS('server.crt', 'server.key', 'material.pem'));
    }
  }
  return out;
}

export interface CaseOutputs {
  findings: Finding[];
  outputs: { where: string; text: string }[];
}

/** Run the core on a case and collect everything a face would show. */
export function runLeakCase(c: LeakCase): CaseOutputs {
  const host = new MemoryHost(c.files);
  const checker = new Checker(host);
  if (c.overlay) checker.setOverlay(c.overlay.file, c.overlay.text);
  const settings = defaultSettings();
  const languageOf = (f: string) => (c.overlay?.file === f ? c.overlay.language : undefined);
  const result = checker.check({ files: c.requested, settingsFor: () => settings, languageOf });
  const outputs: { where: string; text: string }[] = [];
  const add = (where: string, text: string) => outputs.push({ where, text });
  add('findings', JSON.stringify(result.findings));
  add('skipped', JSON.stringify(result.skipped));
  add('text', formatText(result.files, result.findings, DIR, { color: false }, result.skipped));
  add('json', formatJson(result.files, result.findings, result.skipped));
  add('sarif', formatSarif(result.files, result.findings, DIR));
  for (const file of new Set([...c.requested, ...result.files])) {
    const deployment = checker.deploymentFor(file, { settingsFor: () => settings, languageOf });
    if (!deployment) continue;
    add(`links ${file}`, JSON.stringify(documentLinks(deployment, file)));
    add(`symbols ${file}`, JSON.stringify(documentSymbols(deployment, file)));
    const text = c.overlay?.file === file ? c.overlay.text : host.readFile(file, 1 << 24);
    const source = typeof text === 'string' ? text : 'bytes' in text ? decodeText(text.bytes) : '';
    source.split('\n').forEach((line, n) => {
      if (n > 400) return;
      const eq = line.indexOf('=');
      for (const character of new Set([0, Math.floor(line.length / 2), Math.max(0, line.length - 1), eq < 0 ? 0 : eq + 2])) {
        const hover = hoverAt(deployment, file, { line: n, character });
        if (hover) add(`hover ${posix.basename(file)} ${n}:${character}`, hover.markdown.value);
      }
    });
  }
  const report = fileReport(new FileProbe(host), c.materialFile, { trust: [], expiryDays: 30 });
  add('show json', JSON.stringify(report));
  add('show text', fileReportText(report));
  add('show markdown', fileReportMarkdown(report).value);
  return { findings: result.findings, outputs };
}

/** Where the scanner finds the key in a case's outputs (empty: no leak). */
export function leaksOf(key: KeyUnderTest, c: LeakCase, outputs: CaseOutputs['outputs']): string[] {
  return outputs.flatMap((o) => key.scanner.find(o.text).map((hit) => `${c.name} → ${o.where}: ${hit}`));
}

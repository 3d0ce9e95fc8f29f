// Deployments whose every certificate field, file name and tls.cfg string is hostile text
// (helpers/hostileText.ts), and the properties every output must keep on them. Shared by the
// unit (in-process), lsp (the bundled server over stdio), cli (the bundled command) and
// integration (the same at a larger size) layers.
import { parseCertificate } from '../../server/src/core/pki/certificate';
import { visibleControls } from '../../server/src/core/util/visible';
import { P256, TestPki, chainPem, keyPem, type Issued } from '../fixtures/pki';
import { Rng } from './fuzz/prng';
import { hostileString, rawInvisible } from './hostileText';
import { markdownText, markupProblems } from './markdown';

/**
 * Not in a file name: the separator and NUL; nor in a quoted tls.cfg value: quote, backslash, line
 * ends, and `$` (tls.cfg has no `$` syntax, so `$NAME` is read as a template placeholder).
 */
const NOT_IN_QUOTED_NAME = /[/\0"\\\n\r\u2028\u2029$]/g;

/** A hostile file-name part of at most `max` characters (whole code points). */
export function hostileFileName(rng: Rng, max = 60): string {
  return Array.from(hostileString(rng, { exclude: NOT_IN_QUOTED_NAME, maxPieces: 2 })).slice(0, max).join('');
}

export interface HostileSet {
  /** Folder of this set (plain, relative to the run's folder). */
  folder: string;
  root: Issued;
  intermediate: Issued;
  leaf: Issued;
  /** Relative (to the folder) names of the certificate (leaf + intermediate), key and CA list files. */
  certFile: string;
  keyFile: string;
  caFile: string;
  serverName: string;
  /** The tls.cfg text. */
  tls: string;
  /** Every hostile string put into the set, raw. */
  strings: string[];
  /** Subject and issuer texts and names as the parser reads them (what an output shows). */
  shown: { subjects: string[]; names: string[] };
}

export const KAMAILIO_CFG = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\n';

/** One set: root → intermediate → leaf, every field (CN, O, OU, emailAddress, DNS/URI/email SANs) hostile. */
export function hostileSet(pki: TestPki, seed: number, index: number): HostileSet {
  const rng = Rng.forInput(seed, index);
  const utf8 = () => hostileString(rng);
  const ascii = () => hostileString(rng, { ascii: true });
  const name = () => ({ O: utf8(), OU: utf8() });
  const rootName = name();
  const root = pki.root(utf8(), { key: P256, subject: rootName });
  const intermediateName = name();
  const intermediate = pki.intermediate(root, utf8(), { key: P256, subject: intermediateName });
  const leafName = { ...name(), emailAddress: ascii() };
  const dns = [ascii(), 'sip.example.com'];
  const uris = [ascii()];
  const emails = [ascii()];
  const leaf = pki.leaf(intermediate, utf8(), { key: P256, subject: leafName, dns, uris, emails });
  const certFile = `cert-${hostileFileName(rng)}.pem`;
  const keyFile = `key-${hostileFileName(rng)}.pem`;
  const caFile = `ca-${hostileFileName(rng)}.pem`;
  const serverName = hostileString(rng, { exclude: NOT_IN_QUOTED_NAME, maxPieces: 2 });
  const tls = [
    '[server:default]',
    'method = TLSv1.2+',
    `certificate = "${certFile}"`,
    `private_key = "${keyFile}"`,
    `ca_list = "${caFile}"`,
    '',
    '[server:any]',
    `server_name = "${serverName}"`,
    `certificate = "${certFile}"`,
    `private_key = "${keyFile}"`,
    '',
  ].join('\n');
  const models = [leaf, intermediate, root].map((c) => parseCertificate(c.der));
  return {
    folder: `set-${index}`,
    root,
    intermediate,
    leaf,
    certFile,
    keyFile,
    caFile,
    serverName,
    tls,
    strings: [
      ...[rootName, intermediateName, leafName].flatMap((n) => Object.values(n) as string[]),
      root.name.CN!,
      intermediate.name.CN!,
      leaf.name.CN!,
      ...dns,
      ...uris,
      ...emails,
      serverName,
      certFile,
      keyFile,
      caFile,
    ],
    shown: {
      subjects: models.flatMap((m) => [m.subject.text, m.issuer.text]),
      names: [...models[0]!.dnsNames.map((n) => `DNS:${n}`), ...models[0]!.uris.map((n) => `URI:${n}`), ...models[0]!.emailAddresses.map((n) => `email:${n}`)],
    },
  };
}

/** The files of a set, relative to the run's folder. */
export function setFiles(set: HostileSet): Record<string, string> {
  return {
    [`${set.folder}/kamailio.cfg`]: KAMAILIO_CFG,
    [`${set.folder}/tls.cfg`]: set.tls,
    [`${set.folder}/${set.certFile}`]: chainPem(set.leaf, set.intermediate),
    [`${set.folder}/${set.keyFile}`]: keyPem(set.leaf.privateKey),
    [`${set.folder}/${set.caFile}`]: set.root.pem,
  };
}

/** Positions worth a hover in a set's tls.cfg: each header and each value (inside its quotes). */
export function hoverPositions(tls: string): { line: number; character: number }[] {
  return tls.split('\n').flatMap((text, line) => {
    if (text.startsWith('[')) return [{ line, character: 2 }];
    const quote = text.indexOf('"');
    return quote > 0 ? [{ line, character: quote + 1 }] : [];
  });
}

/** Problems of one Markdown output: markup from content, and expected text not shown exactly. */
export function markdownOutputProblems(where: string, source: string, mustShow: readonly string[] = []): string[] {
  const problems = markupProblems(source).map((p) => `${where}: ${p}`);
  const seen = markdownText(source);
  for (const s of mustShow) if (!seen.includes(visibleControls(s))) problems.push(`${where}: does not show ${JSON.stringify(s)} as ${JSON.stringify(visibleControls(s))}`);
  return problems;
}

/** Problems of one terminal output: raw controls, and a verdict line no field may forge. */
export function terminalOutputProblems(where: string, output: string, verdictLines?: number): string[] {
  const problems: string[] = [];
  const raw = rawInvisible(output);
  if (raw) problems.push(`${where}: raw ${raw}`);
  if (verdictLines !== undefined) {
    const verdicts = output.split('\n').filter((l) => /^Verdict:/.test(l)).length;
    if (verdicts !== verdictLines) problems.push(`${where}: ${verdicts} lines start with "Verdict:", ${verdictLines} expected`);
  }
  return problems;
}

/** A PKI for one run (its clock is now: the certificates are valid). */
export function runPki(): TestPki {
  return new TestPki();
}

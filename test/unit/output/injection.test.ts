// Generated deployments whose every certificate field (CN, O, OU, emailAddress, DNS/URI/email
// SANs, the issuers), file name and tls.cfg string is hostile text, through the checking core in
// process: hovers and the report at the cursor have no link, image, HTML or raw control and show
// every field exactly (as visible text); `show`'s text report has no raw control and one verdict
// line; its JSON and the check's JSON keep every string exactly. The same properties over the
// bundled server and CLI are test/lsp/injection.test.ts and test/cli/injection.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Checker } from '../../../server/src/core/check';
import { FileProbe } from '../../../server/src/core/fileProbe';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { hoverAt } from '../../../server/src/core/features/hover';
import { reportAt } from '../../../server/src/core/features/reportAt';
import { fileReport, fileReportMarkdown, fileReportText } from '../../../server/src/core/features/fileReport';
import { formatJson } from '../../../server/src/cli/formatJson';
import { formatText } from '../../../server/src/cli/formatText';
import { visibleLines } from '../../../server/src/core/util/visible';
import { hostileSet, hoverPositions, markdownOutputProblems, runPki, setFiles, terminalOutputProblems, type HostileSet } from '../../helpers/injection';
import { formatProbeMarkdown, formatProbeText } from '../../../server/src/core/probe';
import type { ProbeReport } from '../../../server/src/core/probe/types';
import { Rng } from '../../helpers/fuzz/prng';
import { hostileString } from '../../helpers/hostileText';
import { settings } from '../helpers';

const SEED = Number(process.env.SIP_TLS_INJECTION_SEED ?? 20261212);
const COUNT = Number(process.env.SIP_TLS_INJECTION_UNIT_COUNT ?? 40);
const ROOT = '/srv/hostile';

/** What the hover on each tls.cfg line must show: the certificates' subjects and names, the CA's subject, the SNI name. */
function mustShow(set: HostileSet, lineText: string): string[] {
  if (lineText.startsWith('certificate')) return [...set.shown.subjects.slice(0, 4), ...set.shown.names, set.certFile];
  if (lineText.startsWith('ca_list')) return [set.shown.subjects[4]!, set.caFile];
  if (lineText.startsWith('[server:any]')) return [set.serverName];
  return [];
}

test(`${COUNT} deployments with hostile certificate fields and file names: hovers, reports, text and JSON outputs`, () => {
  const pki = runPki();
  const problems: string[] = [];
  let hovers = 0;
  for (let i = 0; i < COUNT; i++) {
    const set = hostileSet(pki, SEED, i);
    const files = Object.fromEntries(Object.entries(setFiles(set)).map(([p, t]) => [`${ROOT}/${p}`, t]));
    const host = new MemoryHost(files, pki.now);
    const checker = new Checker(host);
    const s = settings();
    const kam = `${ROOT}/${set.folder}/kamailio.cfg`;
    const tls = `${ROOT}/${set.folder}/tls.cfg`;
    const deployment = checker.deploymentFor(kam, { settingsFor: () => s });
    assert.ok(deployment, `set ${i}: a deployment`);
    const lines = set.tls.split('\n');
    for (const pos of hoverPositions(set.tls)) {
      const where = `set ${i} hover ${pos.line}:${pos.character}`;
      const h = hoverAt(deployment, tls, pos);
      if (!h) continue;
      hovers++;
      problems.push(...markdownOutputProblems(where, h.markdown.value, mustShow(set, lines[pos.line]!)));
      const at = reportAt(deployment, tls, pos);
      if (at) problems.push(...markdownOutputProblems(`set ${i} report at ${pos.line}`, at.markdown.value, mustShow(set, lines[pos.line]!)));
    }

    // `show` on the certificate file: text, Markdown, JSON.
    const certPath = `${ROOT}/${set.folder}/${set.certFile}`;
    const report = fileReport(new FileProbe(host), certPath, { trust: [`${ROOT}/${set.folder}/${set.caFile}`], expiryDays: 30 });
    assert.equal(report.unavailable, undefined, `set ${i}: the certificate file is examined`);
    problems.push(...terminalOutputProblems(`set ${i} show text`, fileReportText(report), 1));
    problems.push(...markdownOutputProblems(`set ${i} show markdown`, fileReportMarkdown(report).value, [...set.shown.subjects.slice(0, 4), ...set.shown.names]));
    const json = JSON.parse(visibleLines(JSON.stringify(report))) as typeof report;
    assert.deepEqual(json.certificates.map((c) => [c.subject, c.issuer]), [set.shown.subjects.slice(0, 2), set.shown.subjects.slice(2, 4)], `set ${i}: JSON subjects exact`);
    assert.deepEqual(json.certificates[0]!.names, set.shown.names, `set ${i}: JSON names exact`);
    assert.equal(json.path, certPath, `set ${i}: JSON path exact`);

    // `check`: the text lines are the JSON findings made visible, and the JSON keeps them exactly.
    const out = checker.check({ files: [kam, tls], settingsFor: () => s });
    assert.ok(out.findings.length > 0, `set ${i}: the hostile names give findings (name mismatch at least)`);
    problems.push(...terminalOutputProblems(`set ${i} check text`, formatText([kam, tls], out.findings, ROOT, { color: false })));
    const parsed = JSON.parse(visibleLines(formatJson([kam, tls], out.findings))) as { diagnostics: { message: string; file: string }[] };
    assert.deepEqual(parsed.diagnostics.map((d) => d.message), out.findings.map((f) => f.message), `set ${i}: JSON messages exact`);
  }
  assert.deepEqual(problems, []);
  assert.ok(hovers >= COUNT * 6, `hovers answered: ${hovers}`);
});

/** A probe report whose every string a peer (or the command line) controls is hostile. */
function hostileProbeReport(seed: number, index: number): ProbeReport {
  const rng = Rng.forInput(seed, index);
  const h = () => hostileString(rng);
  const facts = (i: number) => ({ position: i, role: i === 0 ? 'leaf' : 'intermediate', subject: h(), issuer: h(), names: [`DNS:${h()}`, `URI:${h()}`], notBefore: '2026-01-01', notAfter: '2027-01-01', daysLeft: 10, serial: h(), sha256: h(), key: h(), signature: h(), keyUsage: [h()], extendedKeyUsage: [h()], ca: i > 0 });
  return {
    version: 1,
    target: { host: h(), port: 5061, address: h(), servername: h(), trust: h() },
    ok: false,
    verdict: h(),
    problems: [h(), h()],
    error: null,
    tls: { protocol: h(), cipher: h(), keyExchange: h() },
    chain: [facts(0), facts(1)],
    chainSource: 'wire',
    trustAnchor: facts(2),
    verification: { trusted: false, code: h(), reason: h(), explanation: h() },
    hostname: { checked: h(), matches: false, reason: h() },
    clientCertificate: { requested: true, offered: false, acceptableCas: [h(), h()], refusal: h() },
    sip: { request: h(), statusLine: h(), status: 200, provisional: [h()], server: h() },
    timings: { dnsMs: 1, connectMs: 2, handshakeMs: 3, sipMs: 4, totalMs: 10 },
  };
}

test(`${COUNT * 10} probe reports with hostile peer strings: the Markdown report and the terminal report`, () => {
  const problems: string[] = [];
  for (let i = 0; i < COUNT * 10; i++) {
    const r = hostileProbeReport(SEED, i);
    problems.push(...markdownOutputProblems(`probe ${i} markdown`, formatProbeMarkdown(r).value, [r.chain[0]!.subject, r.sip!.statusLine!, r.tls!.cipher]));
    problems.push(...terminalOutputProblems(`probe ${i} text`, formatProbeText(r)));
  }
  assert.deepEqual(problems, []);
});

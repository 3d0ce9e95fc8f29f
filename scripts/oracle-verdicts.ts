// Prints what the real Kamailio does with every case of test/fixtures/kamailioCases.ts:
// its verdict, whether that matches the case's documented expectation, and the first error line.
//
//   node --import tsx scripts/oracle-verdicts.ts                 all cases, table
//   node --import tsx scripts/oracle-verdicts.ts tlscfg- path-   only cases whose name contains one of the words
//   node --import tsx scripts/oracle-verdicts.ts --log NAME      also print Kamailio's full log for matching cases
//   node --import tsx scripts/oracle-verdicts.ts --markdown      Markdown table (for ORACLE-NOTES.md)
//   node --import tsx scripts/oracle-verdicts.ts --json          one JSON document
//   --keep                                                       keep the case folders (path printed)
//   --section config|cert                                        only one section (default: both)
//   --target debian-12|debian-13                                 which Kamailio (default debian-12;
//                                                                debian-13 = the chroot of
//                                                                scripts/install-debian13-oracle.sh)
//
// The certificate section (test/fixtures/certCases.ts) also shows what a TLS peer saw during the
// run (a Node client trusting the case's root, or a Node server judging Kamailio's client
// certificate); its Markdown table is printed separately.
//
// Exit code 1 when a verdict differs from its case's expectation, 2 when Kamailio is missing.
import { CERT_CASES } from '../test/fixtures/certCases';
import { CERTIFICATE_CASES, KAMAILIO_CASES, caseOn } from '../test/fixtures/kamailioCases';
import { DEBIAN_12, debian13Target } from '../test/integration/oracleTargets';
import {
  describePeer,
  expectationMismatch,
  kamailioAvailable,
  kamailioRejects,
  makeRunDir,
  removeRunDir,
  runCase,
  shortError,
} from '../test/integration/kamailioOracle';

const args = process.argv.slice(2);
const flag = (f: string): boolean => {
  const i = args.indexOf(f);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const json = flag('--json');
const markdown = flag('--markdown');
const keep = flag('--keep');
const showLog = flag('--log');
const sectionAt = args.indexOf('--section');
const section = sectionAt >= 0 ? args.splice(sectionAt, 2)[1] : undefined;
if (section !== undefined && section !== 'config' && section !== 'cert') {
  console.error('--section takes config or cert');
  process.exit(2);
}
const targetAt = args.indexOf('--target');
const targetId = targetAt >= 0 ? args.splice(targetAt, 2)[1] : 'debian-12';
if (targetId !== 'debian-12' && targetId !== 'debian-13') {
  console.error('--target takes debian-12 or debian-13');
  process.exit(2);
}
const target = targetId === 'debian-13' ? debian13Target() : DEBIAN_12;
const filters = args;
const certNames = new Set(CERTIFICATE_CASES.map((c) => c.name));

async function main(): Promise<number> {
const avail = kamailioAvailable(target);
if (!avail.ok) {
  console.error(`kamailio is not usable: ${avail.reason}`);
  return 2;
}

const sections = section === 'config' ? [KAMAILIO_CASES] : section === 'cert' ? [CERTIFICATE_CASES] : [KAMAILIO_CASES, CERTIFICATE_CASES];
const cases = sections
  .flat()
  .filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)))
  .map((c) => caseOn(c, target.id));
const base = makeRunDir('sip-tls-oracle-', target);
const t0 = Date.now();
const rows: {
  name: string;
  expected: string;
  verdict: string;
  check: string;
  startRc: number | null;
  tls: string;
  ms: number;
  mismatch: string;
  firstError: string;
  warning: string;
  /** What a TLS peer saw (certificate section, accepted cases). */
  peer: string;
  /** OpenSSL's reason after a load error (`load_cert: SSL routines::ee key too small`). */
  openssl: string;
}[] = [];
/** Warnings every start prints; not worth a column. */
const NOISE = /openssl bug #1491|load_tm|could not bind tm/;

for (const c of cases) {
  const run = await runCase(c, base, { target });
  const v = run.verdict;
  const mismatch = expectationMismatch(c, run);
  // Print run-specific folders and ports as their placeholders, so tables are comparable.
  const generic = (text: string): string =>
    text
      .split(run.dir).join('{{DIR}}')
      .replace(new RegExp(`:${run.vars.PORT}\\b`, 'g'), ':{{PORT}}')
      .replace(new RegExp(`:${run.vars.PORT2}\\b`, 'g'), ':{{PORT2}}');
  rows.push({
    name: c.name,
    expected: c.kamailio,
    verdict: kamailioRejects(v) ? 'reject' : 'accept',
    check: v.checkOk ? 'ok' : 'fail',
    startRc: v.startRc,
    tls: v.started ? (v.tcpListening.length ? generic(v.tcpListening.join(' ')) : 'none') : '',
    ms: v.ms,
    mismatch,
    firstError: generic(shortError(v.firstError)),
    warning: generic(v.warnings.find((w) => !NOISE.test(w)) ?? ''),
    peer: generic(describePeer(v.peer)),
    openssl: v.opensslError ?? '',
  });
  if (showLog) console.log(`\n===== ${c.name} (${run.dir})\n${v.log}`);
}
const totalMs = Date.now() - t0;
if (!keep) removeRunDir(base, target);

const bad = rows.filter((r) => r.mismatch);
if (json) {
  console.log(JSON.stringify({ kamailio: avail.version, totalMs, cases: rows }, null, 2));
} else if (markdown) {
  const cell = (t: string, max: number): string => (t ? '`' + t.replace(/\|/g, '\\|').replace(/`/g, "'").slice(0, max) + '`' : '');
  const configRows = rows.filter((r) => !certNames.has(r.name));
  const certRows = rows.filter((r) => certNames.has(r.name));
  if (configRows.length) {
    console.log('| Case | Kamailio | `-c` | TLS listening | First error line | First warning (start-up) |');
    console.log('|---|---|---|---|---|---|');
    for (const r of configRows) {
      const warn = r.verdict === 'accept' ? cell(r.warning, 110) : '';
      console.log(`| ${r.name} | ${r.verdict}${r.mismatch ? ' ≠ expected' : ''} | ${r.check} | ${r.tls} | ${cell(r.firstError, 140)} | ${warn} |`);
    }
  }
  if (certRows.length) {
    if (configRows.length) console.log('');
    // The openssl column is the case's documented `openssl verify` verdict (checked by
    // test/integration/openssl-agreement.test.ts, not run here).
    const verifyOf = (name: string): string => {
      const o = CERT_CASES.find((c) => c.name === name)?.openssl;
      if (!o) return '—';
      const facets = [o.purpose !== undefined && o.purpose !== 'ok' ? `purpose ${o.purpose}` : '', o.name !== undefined && o.name !== 'ok' ? `name ${o.name}` : ''].filter(Boolean);
      return `${o.verify === 'ok' ? 'OK' : `error ${o.verify}`}${facets.length ? ` (${facets.join(', ')})` : ''}`;
    };
    console.log('| Case | Kamailio | First error line | OpenSSL reason | What a peer sees | `openssl verify` |');
    console.log('|---|---|---|---|---|---|');
    for (const r of certRows) {
      console.log(
        // For accepted cases an error line can only come from the peer's failed handshake: not a start-up verdict.
        `| ${r.name} | ${r.verdict}${r.mismatch ? ' ≠ expected' : ''} | ${r.verdict === 'reject' ? cell(r.firstError, 140) : ''} | ${cell(r.openssl, 90)} | ${cell(r.peer, 140)} | ${verifyOf(r.name)} |`,
      );
    }
  }
} else {
  const w = Math.max(...rows.map((r) => r.name.length), 4);
  console.log(`kamailio ${avail.version}  ${rows.length} cases in ${(totalMs / 1000).toFixed(1)} s${keep ? `  folders in ${base}` : ''}\n`);
  console.log(`${'case'.padEnd(w)}  verdict  -c    rc   ms   first error line`);
  for (const r of rows) {
    const mark = r.mismatch ? '!!' : '  ';
    const tls = r.verdict === 'accept' ? `[tls: ${r.tls}] ${r.warning ? `(warning: ${r.warning}) ` : ''}${r.peer ? `[peer: ${r.peer}] ` : ''}` : '';
    console.log(
      `${r.name.padEnd(w)}  ${mark}${r.verdict.padEnd(7)}${r.check.padEnd(5)} ${String(r.startRc).padStart(3)} ${String(r.ms).padStart(4)}  ${tls}${r.firstError.slice(0, 160)}${r.openssl ? ` [${r.openssl}]` : ''}`,
    );
  }
  if (bad.length) {
    console.log(`\n${bad.length} case(s) where Kamailio did not do what the case documents:`);
    for (const r of bad) console.log(`  ${r.name}: ${r.mismatch}`);
  } else {
    console.log('\nEvery verdict matches its documented expectation.');
  }
}
return bad.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);

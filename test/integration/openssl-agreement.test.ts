// openssl as the oracle for chain verdicts: every case of test/fixtures/certCases.ts that has a
// certificate file is checked with `openssl verify` over the same files, and sip-tls's verdict
// about the chain must agree with openssl's.
//
//   node --import tsx --test test/integration/openssl-agreement.test.ts
//   (or: npm run test:integration, which builds dist/ first)
//
// What openssl is asked (OpenSSL 3.0, nothing from the system trust store):
//   openssl verify -no-CAfile -no-CApath -no-CAstore -auth_level 2 -attime NOW
//                  -CAfile  ANCHORS   the case's trust anchors (root.pem) + the profile's ca_list
//                  -untrusted REST    the certificates after the first in the certificate file
//                  LEAF               the first certificate of the file (as Kamailio takes it)
// `-auth_level 2` is the security level Debian's OpenSSL 3 gives Kamailio (keys ≥ 112 bits,
// no MD5/SHA-1 below the trust anchor), `-attime` the run's clock that `sip-tls check --now` gets.
// Two more facets when the chain verifies: `-purpose sslserver|sslclient` and
// `-verify_hostname NAME` / `-verify_ip IP`.
//
// How the verdicts map (see test/integration/ORACLE-NOTES.md, "Certificates"):
//   chain:   openssl OK  ⇔  sip-tls reports none of CHAIN_VERDICT_CODES (any severity)
//   purpose: openssl -purpose fails  ⇔  sip-tls reports cert.purpose as an error (a warning, e.g.
//            a CA certificate as the leaf that OpenSSL accepts, claims no peer failure)
//   name:    openssl -verify_hostname/-verify_ip fails  ⇔  sip-tls reports cert.name-mismatch
//            or cert.ip-in-cn-only (an address only in the CN: one finding for that cause)
// A case may document that openssl and sip-tls *must* differ (`opensslDiffers` below): then the
// test asserts the difference, so that it is noticed when either side changes.
//
// Two tests: "openssl says what each case documents" needs only openssl (and proves the
// documentation); "sip-tls agrees with openssl" also needs dist/cli.js. A third runs the same
// verify commands with Debian 13's OpenSSL 3.5 (the chroot of oracleTargets.ts) against the same
// documentation (a case's `on['debian-13'].openssl` where 3.5 differs). Under CI=true a missing
// openssl or bundle fails with what to install/run; a local run skips loudly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { CATALOG } from '../../server/src/core/catalog';
import { CERT_CASES, SERVER_NAME, pemCertificates, type CertCase } from '../fixtures/certCases';
import { opensslAvailable } from '../fixtures/certs';
import { kamailioCase } from '../fixtures/kamailioCases';
import { checkArgsFor, makeRunDir, materializeCase, oraclePki, removeRunDir, type MaterializedCase } from './kamailioOracle';
import { debian13Target, type OracleTarget } from './oracleTargets';
import { needs } from './needs';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli.js');
const CODES = new Set(CATALOG.map((e) => e.code));

/** sip-tls's word for "the name check fails". */
const NAME_VERDICT_CODES = ['cert.name-mismatch', 'cert.ip-in-cn-only'];

/**
 * sip-tls's word for "the chain is not complete and trusted": any of these, at any severity.
 * The brief mapping is chain.* + cert.expired/not-yet-valid/weak-signature; `-auth_level 2` adds
 * cert.weak-key, and a self-signed leaf that is not a trust anchor is openssl error 18, which
 * sip-tls calls cert.self-signed.
 */
const CHAIN_VERDICT_CODES = [
  'chain.incomplete',
  'chain.order',
  'chain.bad-signature',
  'chain.untrusted',
  'cert.expired',
  'cert.not-yet-valid',
  'cert.weak-signature',
  'cert.weak-key',
  'cert.self-signed',
];

/**
 * Cases where openssl's opinion and sip-tls's must differ, and why. openssl judges the *first*
 * certificate of the file as the leaf, exactly as Kamailio takes it; when that is not the
 * certificate the key belongs to, openssl happily verifies the intermediate.
 */
const OPENSSL_DIFFERS: Record<string, string> = {
  'chain-reversed-rsa':
    'the first certificate is the intermediate, which verifies against the root (openssl OK); sip-tls reports chain.order because the leaf is not first (Kamailio refuses: key values mismatch)',
  'chain-reversed-ecdsa':
    'the first certificate is the intermediate, which verifies against the root (openssl OK); sip-tls reports chain.order because the leaf is not first (Kamailio refuses: key values mismatch)',
};

const openssl = opensslAvailable();

interface VerifyResult {
  /** `ok` or the X509 error number of the first error. */
  verdict: 'ok' | number;
  /** `error 20 at 0 depth lookup: unable to get local issuer certificate`, or `OK`. */
  line: string;
  command: string;
}

/** `openssl verify` of this machine, or of the target's chroot (run in the same folder). */
function verify(args: string[], cwd: string, target?: OracleTarget): VerifyResult {
  const [cmd, argv] = target?.root ? ['chroot', [target.root, '/usr/bin/env', '-C', cwd, 'openssl', 'verify', ...args]] : ['openssl', ['verify', ...args]];
  const r = spawnSync(cmd, argv as string[], { cwd, encoding: 'utf8', timeout: 20_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const command = `${target?.root ? `chroot ${target.root} ` : ''}openssl verify ${args.join(' ')}`;
  if (r.status === 0 && /: OK\s*$/m.test(r.stdout ?? '')) return { verdict: 'ok', line: 'OK', command };
  const m = /^error (\d+) at \d+ depth lookup: .*$/m.exec(out);
  if (!m) throw new Error(`cannot read the result of ${command} (rc ${r.status}):\n${out}`);
  return { verdict: Number(m[1]), line: m[0], command };
}

interface OpensslRun {
  chain: VerifyResult;
  purpose?: VerifyResult;
  name?: VerifyResult;
}

interface Prepared {
  m: MaterializedCase;
  /** The file holds at least one PEM certificate. */
  run?: OpensslRun;
  /** The same with OpenSSL 3.5 (Debian 13 chroot), when it is built. */
  run35?: OpensslRun;
}

const debian13 = debian13Target();
const base = makeRunDir('sip-tls-openssl-', debian13.root ? debian13 : undefined);
after(() => {
  if (process.env.ORACLE_KEEP === '1') console.log(`case folders kept in ${base}`);
  else removeRunDir(base, debian13.root ? debian13 : undefined);
});

const cache = new Map<string, Promise<Prepared>>();

/** Materializes a case (files as for Kamailio) and runs openssl verify on its certificate file. */
function prepare(c: CertCase): Promise<Prepared> {
  let p = cache.get(c.name);
  if (!p) {
    p = (async () => {
      const m = await materializeCase(kamailioCase(c.name), base);
      const certFile = c.certFile === undefined ? 'chain.pem' : c.certFile;
      if (certFile === null) return { m };
      const certs = pemCertificates(readFileSync(join(m.dir, certFile), 'latin1'));
      if (certs.length === 0) return { m };
      const work = join(m.dir, '_openssl');
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, 'leaf.pem'), certs[0]!);
      const anchors = [...(c.trust ?? ['root.pem']), ...(c.caFiles ?? [])]
        .map((f) => pemCertificates(readFileSync(join(m.dir, f), 'latin1')).join(''))
        .join('');
      const args = ['-no-CAfile', '-no-CApath', '-no-CAstore', '-auth_level', '2', '-attime', String(oraclePki().now.getTime() / 1000)];
      if (anchors) {
        writeFileSync(join(work, 'anchors.pem'), anchors);
        args.push('-CAfile', 'anchors.pem');
      }
      if (certs.length > 1) {
        writeFileSync(join(work, 'untrusted.pem'), certs.slice(1).join(''));
        args.push('-untrusted', 'untrusted.pem');
      }
      const runWith = (target?: OracleTarget): OpensslRun => {
        const chain = verify([...args, 'leaf.pem'], work, target);
        const run: OpensslRun = { chain };
        if (chain.verdict === 'ok') {
          run.purpose = verify([...args, '-purpose', c.purpose ?? 'sslserver', 'leaf.pem'], work, target);
          const name = c.checkName === undefined ? SERVER_NAME : c.checkName;
          if (name !== null) {
            const flag = name.startsWith('ip:') ? ['-verify_ip', name.slice(3)] : ['-verify_hostname', name];
            run.name = verify([...args, ...flag, 'leaf.pem'], work, target);
          }
        }
        return run;
      };
      return { m, run: runWith(), ...(debian13.root ? { run35: runWith(debian13) } : {}) };
    })();
    cache.set(c.name, p);
  }
  return p;
}

const show = (v: 'ok' | number | undefined): string => (v === undefined ? '(not run)' : String(v));

/** openssl's verdicts on a case against what the case documents. */
function assertDocumented(c: CertCase, m: MaterializedCase, run: OpensslRun | undefined, documented: CertCase['openssl']): void {
  if (!run) {
    assert.equal(documented, undefined, `${c.name}: the certificate file holds no PEM certificate, but the case documents an openssl verdict`);
    return;
  }
  assert.ok(documented, `${c.name}: openssl verify ran (${run.chain.line}) but the case documents no verdict`);
  const context = `${c.title}\ncase folder: ${m.dir} (kept with ORACLE_KEEP=1)\n${run.chain.command}\n→ ${run.chain.line}` +
    (run.purpose ? `\npurpose → ${run.purpose.line}` : '') +
    (run.name ? `\nname → ${run.name.line}` : '');
  assert.equal(show(run.chain.verdict), show(documented.verify), `chain verdict differs from the documented one\n${context}`);
  if (documented.purpose !== undefined || run.purpose) {
    assert.equal(show(run.purpose?.verdict), show(documented.purpose), `purpose verdict differs from the documented one\n${context}`);
  }
  if (documented.name !== undefined || run.name) {
    assert.equal(show(run.name?.verdict), show(documented.name), `name verdict differs from the documented one\n${context}`);
  }
}

test('openssl says what each case documents', async (t) => {
  if (!needs(t, openssl, 'the openssl command is required: apt-get install -y --no-install-recommends openssl')) return;
  for (const c of CERT_CASES) {
    await t.test(c.name, async () => {
      const { m, run } = await prepare(c);
      assertDocumented(c, m, run, c.openssl);
    });
  }
});

test('OpenSSL 3.5 (Debian 13) says what each case documents', async (t) => {
  if (!needs(t, !!debian13.root, `the Debian 13 chroot is required: ${debian13.install}`)) return;
  for (const c of CERT_CASES) {
    await t.test(c.name, async () => {
      const { m, run35 } = await prepare(c);
      assertDocumented(c, m, run35, c.on?.['debian-13']?.openssl ?? c.openssl);
    });
  }
});

interface CliDiagnostic {
  file: string;
  severity: string;
  code: string;
  message: string;
  range?: { start: { line: number; character: number } };
}

function runCli(c: CertCase, m: MaterializedCase): CliDiagnostic[] {
  const r = spawnSync(
    process.execPath,
    [CLI, 'check', m.cfgFile, '--format', 'json', '--kamailio-version', '5.6', ...checkArgsFor(kamailioCase(c.name), m)],
    { cwd: REPO, encoding: 'utf8', timeout: 30_000 },
  );
  const raw = `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.ok(r.status === 0 || r.status === 1, `sip-tls check failed (contract: exit 0 or 1):\n${raw}`);
  const doc = JSON.parse(r.stdout) as { diagnostics?: CliDiagnostic[] };
  assert.ok(Array.isArray(doc.diagnostics), `JSON output must have a "diagnostics" array:\n${raw}`);
  return doc.diagnostics;
}

test('sip-tls agrees with openssl about chains, purposes and names', async (t) => {
  if (!needs(t, openssl, 'the openssl command is required: apt-get install -y --no-install-recommends openssl')) return;
  if (!needs(t, existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`)) return;
  for (const c of CERT_CASES) {
    await t.test(c.name, async (st) => {
      const { m, run } = await prepare(c);
      if (!run) {
        st.diagnostic('no PEM certificate in the file: no chain to compare (the Kamailio agreement covers cert.unreadable)');
        return;
      }
      const ds = runCli(c, m);
      const got = new Set(ds.map((d) => d.code));
      const context =
        `${c.title}\ncase folder: ${m.dir} (kept with ORACLE_KEEP=1)\n${run.chain.command}\n→ ${run.chain.line}` +
        (run.purpose ? `\npurpose → ${run.purpose.line}` : '') +
        (run.name ? `\nname → ${run.name.line}` : '') +
        `\nsip-tls reported:\n${ds.map((d) => `  ${d.severity} ${d.code}: ${d.message}`).join('\n') || '  (no diagnostics)'}`;

      const ours = CHAIN_VERDICT_CODES.filter((code) => got.has(code));
      const weTrust = ours.length === 0;
      const theyTrust = run.chain.verdict === 'ok';
      const differs = OPENSSL_DIFFERS[c.name];
      if (differs) {
        assert.notEqual(weTrust, theyTrust, `documented difference no longer holds (${differs})\n${context}`);
      } else {
        assert.equal(
          weTrust,
          theyTrust,
          (theyTrust
            ? `openssl verifies the chain, but sip-tls reports ${ours.join(', ')}`
            : `openssl rejects the chain (${run.chain.line}), but sip-tls reports none of ${CHAIN_VERDICT_CODES.join(', ')}`) + `\n${context}`,
        );
      }
      if (theyTrust && !differs && run.purpose) {
        const purposeError = ds.some((d) => d.code === 'cert.purpose' && d.severity === 'error');
        assert.equal(
          purposeError,
          run.purpose.verdict !== 'ok',
          `openssl -purpose says ${run.purpose.line}; sip-tls ${purposeError ? 'reports' : 'does not report'} cert.purpose as an error\n${context}`,
        );
      }
      if (theyTrust && !differs && run.name) {
        const nameCodes = NAME_VERDICT_CODES.filter((code) => got.has(code));
        assert.equal(
          nameCodes.length > 0,
          run.name.verdict !== 'ok',
          `openssl name check says ${run.name.line}; sip-tls ${nameCodes.length > 0 ? `reports ${nameCodes.join(', ')}` : `reports none of ${NAME_VERDICT_CODES.join(', ')}`}\n${context}`,
        );
      }
    });
  }
});

test('the chain verdict codes are in the catalog', () => {
  for (const code of [...CHAIN_VERDICT_CODES, ...NAME_VERDICT_CODES]) assert.ok(CODES.has(code), `${code} is not in server/src/core/catalog.ts`);
  for (const name of Object.keys(OPENSSL_DIFFERS)) assert.ok(CERT_CASES.some((c) => c.name === name), `OPENSSL_DIFFERS names an unknown case ${name}`);
});

// `npm run bench`: generate the fleet (×1, ×2, ×4, ×8) in a temporary folder and print, as a
// table and as one JSON line, medians over repeated runs of:
//   - `sip-tls check` on the fleet, against an openssl script doing the per-profile checks and
//     against real Kamailio starting on the same deployment (same run, interleaved rounds, so
//     that the ratios hold on a noisy machine);
//   - the language server: start → first diagnostics, keystroke → diagnostics, warm hovers,
//     peak memory;
//   - `sip-tls check` at ×1…×8 and the fitted growth exponent;
//   - bundle and .vsix sizes.
// BENCH_QUICK=1 runs fewer repetitions (for a quick look, not for figures to quote);
// BENCH_KEEP=1 keeps the generated folder.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateFleet, type Fleet } from './fleet';
import { startKamailio, kamailioInstalled, KAMAILIO_BIN, PKG_MEMORY_MB } from './kamailio';
import { benchServer, BENCH_DEBOUNCE_MS } from './lsp';
import { writeOpensslScript } from './opensslScript';
import { FleetPki } from './pki';
import { growthExponent, median, percentile, round } from './stats';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = {
  check: QUICK ? 3 : 7,
  openssl: QUICK ? 1 : 3,
  kamailio: QUICK ? 1 : 3,
  growth: QUICK ? 3 : 5,
  starts: QUICK ? 3 : 5,
  keystrokes: QUICK ? 50 : 100,
  hovers: QUICK ? 50 : 100,
};
const SCALES = [1, 2, 4, 8];
const TARGETS = {
  checkVsOpenssl: 20,
  keystrokeP95Ms: 20,
  hoverP95Ms: 10,
  growthExponent: 1.1,
  serverRssMb: 150,
  vsixBytes: 1.5 * 1024 * 1024,
};

interface CheckRun {
  ms: number;
  code: number | null;
  findings: { error: number; warning: number; information: number; hint: number };
  codes: Record<string, number>;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** `sip-tls check DIR --format json`, the whole process, timed. */
function runCheck(dir: string): CheckRun {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`sip-tls check failed (rc ${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { diagnostics: { severity: keyof CheckRun['findings']; code: string }[] };
  const findings = { error: 0, warning: 0, information: 0, hint: 0 };
  const codes: Record<string, number> = {};
  for (const d of report.diagnostics) {
    findings[d.severity]++;
    codes[d.code] = (codes[d.code] ?? 0) + 1;
  }
  return { ms, code: r.status, findings, codes };
}

function runOpenssl(script: string): { ms: number; code: number | null; summary: string } {
  const t0 = performance.now();
  const r = spawnSync('bash', [script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  return { ms, code: r.status, summary: r.stdout.trim().split('\n').at(-1) ?? '' };
}

function baselineNodeMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [CLI, '--version']);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function firstLine(cmd: string, args: string[], pattern: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return pattern.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1] ?? 'unknown';
}

function fileBytes(rel: string): number {
  const p = join(ROOT, rel);
  return existsSync(p) ? statSync(p).size : NaN;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const wall0 = performance.now();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    kamailio: firstLine(KAMAILIO_BIN, ['-v'], /version: kamailio (\S+)/),
    openssl: firstLine('openssl', ['version'], /^OpenSSL (\S+)/),
  };
  const base = mkdtempSync(join(tmpdir(), 'sip-tls-bench-'));
  chmodSync(base, 0o755);
  try {
    // ---- the fleet ---------------------------------------------------------------------------
    let t = performance.now();
    const pki = await FleetPki.create(200);
    log(`PKI: 2 roots, 4 intermediates, 200 distinct leaf keys in ${fmt((performance.now() - t) / 1000)} s`);
    t = performance.now();
    const fleets = new Map<number, Fleet>();
    for (const scale of SCALES) {
      const dir = join(base, `fleet-x${scale}`);
      mkdirSync(dir, { recursive: true });
      fleets.set(scale, generateFleet(dir, pki, { scale }));
    }
    const fleet = fleets.get(1)!;
    log(`fleets x${SCALES.join(', x')} written in ${fmt((performance.now() - t) / 1000)} s to ${base}`);
    const script = writeOpensslScript(fleet, join(base, 'openssl-check.sh'));

    // ---- 1. check vs openssl script vs Kamailio, interleaved ---------------------------------
    const checkRuns: CheckRun[] = [];
    const opensslRuns: ReturnType<typeof runOpenssl>[] = [];
    const kamailioRuns: Awaited<ReturnType<typeof startKamailio>>[] = [];
    const haveKamailio = kamailioInstalled();
    if (!haveKamailio) log(`WARNING: ${KAMAILIO_BIN} not found: Kamailio start-up not measured (apt-get install kamailio kamailio-tls-modules)`);
    runCheck(fleet.dir); // warm the file cache
    const rounds = Math.max(RUNS.openssl, RUNS.kamailio);
    const checksPerRound = Math.ceil(RUNS.check / rounds);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < checksPerRound; i++) checkRuns.push(runCheck(fleet.dir));
      if (r < RUNS.openssl) {
        opensslRuns.push(runOpenssl(script));
        log(`openssl script round ${r + 1}: ${fmt(opensslRuns.at(-1)!.ms, 0)} ms (${opensslRuns.at(-1)!.summary})`);
      }
      if (haveKamailio && r < RUNS.kamailio) {
        const k = await startKamailio(fleet.kamailioCfg, fleet.dir, { ...fleet.probe, servername: fleet.profiles.find((p) => p.kind === 'server-address')!.serverName });
        kamailioRuns.push(k);
        log(`Kamailio round ${r + 1}: ${k.ok ? `TLS served after ${fmt(k.tlsMs!, 0)} ms (TCP accept after ${fmt(k.tcpMs!, 0)} ms)` : `FAILED: ${k.error}`}`);
      }
    }
    const checkMs = median(checkRuns.map((c) => c.ms));
    const opensslMs = median(opensslRuns.map((o) => o.ms));
    const kamOk = kamailioRuns.filter((k) => k.ok);
    const kamailioMs = kamOk.length > 0 ? median(kamOk.map((k) => k.tlsMs!)) : NaN;
    const kamailioTcpMs = kamOk.length > 0 ? median(kamOk.map((k) => k.tcpMs!)) : NaN;
    const findings = checkRuns[0]!;

    // ---- 4. growth -------------------------------------------------------------------------
    const nodeBaseMs = baselineNodeMs();
    const growth: { scale: number; ms: number; profiles: number; lines: number; findings: CheckRun['findings'] }[] = [];
    // Rounds over all scales (not all runs of one scale, then the next), so that a slow spell of
    // the machine hits every scale alike instead of bending the fitted exponent.
    const byScale = new Map<number, CheckRun[]>(SCALES.map((s) => [s, []]));
    for (const scale of SCALES) runCheck(fleets.get(scale)!.dir);
    for (let r = 0; r < RUNS.growth; r++) for (const scale of SCALES) byScale.get(scale)!.push(runCheck(fleets.get(scale)!.dir));
    for (const scale of SCALES) {
      const f = fleets.get(scale)!;
      const runs = byScale.get(scale)!;
      growth.push({ scale, ms: median(runs.map((r) => r.ms)), profiles: f.profiles.length, lines: f.totalLines, findings: runs[0]!.findings });
      log(`check x${scale}: ${fmt(growth.at(-1)!.ms, 0)} ms`);
    }
    const exponent = growthExponent(growth.map((g) => ({ size: g.scale, ms: g.ms })));
    const exponentNet = growthExponent(growth.map((g) => ({ size: g.scale, ms: Math.max(1, g.ms - nodeBaseMs) })));

    // ---- 2, 3, 4. the language server ----------------------------------------------------------
    log('language server…');
    const lsp = await benchServer(fleet, { starts: RUNS.starts, keystrokes: RUNS.keystrokes, hovers: RUNS.hovers });

    // ---- 5. sizes ----------------------------------------------------------------------------
    const bundles = { client: fileBytes('dist/client.js'), server: fileBytes('dist/server.js'), cli: fileBytes('dist/cli.js') };
    const vsixBytes = fileBytes('dist/sip-tls.vsix');

    const ks = {
      kamailio_cfg: { median: median(lsp.keystrokeKamailioMs), p95: percentile(lsp.keystrokeKamailioMs, 95) },
      tls_cfg: { median: median(lsp.keystrokeTlsMs), p95: percentile(lsp.keystrokeTlsMs, 95) },
    };
    // Typing in code: nothing from the previous keystroke can be reused (see lsp.ts).
    const ksCode = {
      kamailio_cfg: { median: median(lsp.keystrokeKamailioCodeMs), p95: percentile(lsp.keystrokeKamailioCodeMs, 95) },
      tls_cfg: { median: median(lsp.keystrokeTlsCodeMs), p95: percentile(lsp.keystrokeTlsCodeMs, 95) },
    };
    const hover = { median: median(lsp.hoverMs), p95: percentile(lsp.hoverMs, 95) };
    const firstDiag = median(lsp.firstDiagnosticsMs);
    const ratioOpenssl = opensslMs / checkMs;
    const ratioKamailio = kamailioMs / checkMs;

    const targets = {
      check_vs_openssl: ratioOpenssl >= TARGETS.checkVsOpenssl,
      check_vs_kamailio: Number.isFinite(ratioKamailio) ? ratioKamailio >= 1 : false,
      keystroke_p95: ks.kamailio_cfg.p95 <= TARGETS.keystrokeP95Ms && ks.tls_cfg.p95 <= TARGETS.keystrokeP95Ms,
      keystroke_code_p95: ksCode.kamailio_cfg.p95 <= TARGETS.keystrokeP95Ms && ksCode.tls_cfg.p95 <= TARGETS.keystrokeP95Ms,
      hover_p95: hover.p95 <= TARGETS.hoverP95Ms,
      growth_exponent: exponent <= TARGETS.growthExponent,
      server_memory: lsp.peakRssMb <= TARGETS.serverRssMb,
      vsix_size: vsixBytes <= TARGETS.vsixBytes,
    };

    // ---- output ------------------------------------------------------------------------------
    const rows: [string, string, string][] = [
      ['fleet x1', `${fleet.totalLines} cfg lines (${fleet.mainLines} in kamailio.cfg + ${fleet.fragments.length} fragments), ${fleet.profiles.length} profiles/chains, ${fleet.listenLines} listen, ${fleet.aliasLines} alias`, ''],
      ['findings x1', `${findings.findings.error} errors, ${findings.findings.warning} warnings, ${findings.findings.information} info, ${findings.findings.hint} hints (exit ${findings.code})`, findings.findings.error === 0 ? 'ok' : 'errors!'],
      [`sip-tls check x1 (median of ${checkRuns.length})`, `${fmt(checkMs, 0)} ms`, ''],
      [`openssl script (median of ${opensslRuns.length})`, `${fmt(opensslMs, 0)} ms — ${opensslRuns[0]?.summary ?? ''}`, `x${fmt(ratioOpenssl)} (target ≥ ${TARGETS.checkVsOpenssl}): ${verdict(targets.check_vs_openssl)}`],
      [`Kamailio start-up to TLS (median of ${kamOk.length}/${kamailioRuns.length})`, `${fmt(kamailioMs, 0)} ms (TCP accept at ${fmt(kamailioTcpMs, 0)} ms; -M ${PKG_MEMORY_MB})`, `x${fmt(ratioKamailio)} (target ≥ 1): ${verdict(targets.check_vs_kamailio)}`],
      [`keystroke in a string, kamailio.cfg (${lsp.keystrokeKamailioMs.length}, debounce ${BENCH_DEBOUNCE_MS})`, `median ${fmt(ks.kamailio_cfg.median)} ms, p95 ${fmt(ks.kamailio_cfg.p95)} ms`, `p95 ≤ ${TARGETS.keystrokeP95Ms}: ${verdict(ks.kamailio_cfg.p95 <= TARGETS.keystrokeP95Ms)}`],
      [`keystroke in a comment, tls.cfg (${lsp.keystrokeTlsMs.length}, debounce ${BENCH_DEBOUNCE_MS})`, `median ${fmt(ks.tls_cfg.median)} ms, p95 ${fmt(ks.tls_cfg.p95)} ms`, `p95 ≤ ${TARGETS.keystrokeP95Ms}: ${verdict(ks.tls_cfg.p95 <= TARGETS.keystrokeP95Ms)}`],
      [`keystroke in code, kamailio.cfg (${lsp.keystrokeKamailioCodeMs.length})`, `median ${fmt(ksCode.kamailio_cfg.median)} ms, p95 ${fmt(ksCode.kamailio_cfg.p95)} ms`, `p95 ≤ ${TARGETS.keystrokeP95Ms}: ${verdict(ksCode.kamailio_cfg.p95 <= TARGETS.keystrokeP95Ms)}`],
      [`keystroke in code, tls.cfg (${lsp.keystrokeTlsCodeMs.length})`, `median ${fmt(ksCode.tls_cfg.median)} ms, p95 ${fmt(ksCode.tls_cfg.p95)} ms`, `p95 ≤ ${TARGETS.keystrokeP95Ms}: ${verdict(ksCode.tls_cfg.p95 <= TARGETS.keystrokeP95Ms)}`],
      [`hover on certificate path, warm (${lsp.hoverMs.length})`, `median ${fmt(hover.median, 2)} ms, p95 ${fmt(hover.p95, 2)} ms`, `p95 ≤ ${TARGETS.hoverP95Ms}: ${verdict(targets.hover_p95)}`],
      [`server start → first diagnostics (median of ${lsp.firstDiagnosticsMs.length})`, `${fmt(firstDiag, 0)} ms (debounce ${BENCH_DEBOUNCE_MS}; the default adds 200 ms)`, ''],
      ['server peak memory (VmHWM)', `${fmt(lsp.peakRssMb)} MB`, `≤ ${TARGETS.serverRssMb}: ${verdict(targets.server_memory)}`],
      ...growth.map((g): [string, string, string] => [`sip-tls check x${g.scale} (median of ${RUNS.growth})`, `${fmt(g.ms, 0)} ms (${g.profiles} profiles, ${g.lines} lines, ${g.findings.error} errors, ${g.findings.warning} warnings)`, '']),
      ['growth exponent (log t vs log N)', `${fmt(exponent, 2)} (minus ${fmt(nodeBaseMs, 0)} ms process start: ${fmt(exponentNet, 2)})`, `≤ ${TARGETS.growthExponent}: ${verdict(targets.growth_exponent)}`],
      ['bundles client / server / cli', `${bundles.client} / ${bundles.server} / ${bundles.cli} bytes`, ''],
      ['dist/sip-tls.vsix', `${vsixBytes} bytes`, `≤ 1.5 MB: ${verdict(targets.vsix_size)}`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nsip-tls bench — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, Kamailio ${machine.kamailio}, OpenSSL ${machine.openssl}${QUICK ? ' — BENCH_QUICK' : ''}\n`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    console.log('');

    const json = {
      bench: {
        quick: QUICK,
        fleet: {
          lines: fleet.totalLines,
          kamailio_cfg_lines: fleet.mainLines,
          fragments: fleet.fragments.length,
          profiles: fleet.profiles.length,
          chains: fleet.profiles.length,
          listen_lines: fleet.listenLines,
          alias_lines: fleet.aliasLines,
        },
        findings: { ...findings.findings, by_code: findings.codes, exit_code: findings.code },
        fleet_check_ms: round(checkMs),
        openssl_script_ms: round(opensslMs),
        kamailio_startup_ms: round(kamailioMs),
        kamailio_tcp_accept_ms: round(kamailioTcpMs),
        ratios: { openssl_over_check: round(ratioOpenssl, 2), kamailio_over_check: round(ratioKamailio, 2) },
        debounce_ms: BENCH_DEBOUNCE_MS,
        keystroke_median_ms: { kamailio_cfg: round(ks.kamailio_cfg.median, 2), tls_cfg: round(ks.tls_cfg.median, 2) },
        keystroke_p95_ms: { kamailio_cfg: round(ks.kamailio_cfg.p95, 2), tls_cfg: round(ks.tls_cfg.p95, 2) },
        keystroke_code_median_ms: { kamailio_cfg: round(ksCode.kamailio_cfg.median, 2), tls_cfg: round(ksCode.tls_cfg.median, 2) },
        keystroke_code_p95_ms: { kamailio_cfg: round(ksCode.kamailio_cfg.p95, 2), tls_cfg: round(ksCode.tls_cfg.p95, 2) },
        hover_median_ms: round(hover.median, 2),
        hover_p95_ms: round(hover.p95, 2),
        first_diagnostics_ms: round(firstDiag),
        server_peak_rss_mb: round(lsp.peakRssMb),
        check_ms_by_scale: Object.fromEntries(growth.map((g) => [`x${g.scale}`, round(g.ms)])),
        growth_exponent: round(exponent, 3),
        growth_exponent_minus_process_start: round(exponentNet, 3),
        bundle_bytes: bundles,
        vsix_bytes: vsixBytes,
        targets_met: targets,
        runs: { ...RUNS, check: checkRuns.length, kamailio_ok: kamOk.length },
        machine,
        wall_s: round((performance.now() - wall0) / 1000),
      },
    };
    console.log(JSON.stringify(json));
    if (kamailioRuns.some((k) => !k.ok)) log(`WARNING: Kamailio did not start on the fleet: ${kamailioRuns.find((k) => !k.ok)!.error}`);
    if (opensslRuns.some((o) => o.code !== 0)) log(`WARNING: the openssl script reported failures: ${opensslRuns[0]!.summary}`);
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

// The fuzz loop: builds input `index` of a run from (seed, index) alone, feeds it to both
// parsers and to the whole rule engine (Checker.check over a MemoryHost), and records how long
// each input took. One Checker serves a batch of inputs — as in the language server, documents
// change under a long-lived checker — and certificate parses stay cached across the batch.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Checker } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { parseKamailioFile } from '../../../server/src/core/kamailio';
import { parseTlsConfig } from '../../../server/src/core/tlscfg/parser';
import { defaultSettings, type CheckSettings } from '../../../server/src/core/settings';
import { parseVersion } from '../../../server/src/core/version';
import { Rng } from './prng';
import { damageBytes, mutateText } from './mutators';
import type { SeedSet } from './seeds';
import { formatText } from '../../../server/src/cli/formatText';
import { rawInvisible } from '../hostileText';
import { formatJson } from '../../../server/src/cli/formatJson';
import { formatSarif } from '../../../server/src/cli/formatSarif';
import { isText, type KeyUnderTest } from '../keyLeakProperty';

const DIR = '/etc/kamailio';
export const KAMAILIO = `${DIR}/kamailio.cfg`;
export const TLS = `${DIR}/tls.cfg`;
const FRAGMENT = `${DIR}/extra.cfg`;
const CERT_DIR = `${DIR}/certs`;

const VERSIONS = ['5.4', '5.6', '5.8', '6.0', '6.1', '6.2'];
const DEFINES = ['WITH_TLS', 'WITH_DEBUG', 'A', 'B=1', 'TLS_PORT=5071', 'MY_IP=10.0.0.1', 'NO_LISTEN'];

export interface FuzzInput {
  seed: number;
  index: number;
  /** File contents as text (overlay) or bytes (written to the in-memory disk). */
  files: Record<string, string | Uint8Array>;
  /** Which files go in as open documents rather than disk files. */
  overlays: string[];
  settings: CheckSettings;
  mutations: string[];
  /** The key (index into the run's keys) whose material this input puts somewhere: no output may repeat it. */
  secretKey?: number;
}

/**
 * Where a damaged key form goes: in place of tls.cfg, in place of a certificate, pasted into
 * kamailio.cfg or tls.cfg, or as an included fragment. Every output of the check is then scanned
 * for the key (helpers/secrets.ts) — the leak property of issue 11 under mutation, not only on
 * the well-formed forms of keyLeakProperty.ts.
 */
const KEY_INPUT_SHARE = Number(process.env.FUZZ_KEY_SHARE ?? 0.05);
const KEY_PLACES = ['as-tls-config', 'as-certificate', 'pasted-into-kamailio', 'pasted-into-tls', 'as-fragment'] as const;

function damagedKey(key: KeyUnderTest, rng: Rng): { bytes: Uint8Array; name: string } {
  const form = rng.pick(key.forms.filter((f) => f.secret));
  const text = new TextDecoder().decode(form.bytes);
  const roll = rng.int(4);
  if (roll === 0) return { bytes: form.bytes, name: `${form.name}:whole` };
  if (roll === 1) return { bytes: form.bytes.subarray(0, 1 + rng.int(form.bytes.length)), name: `${form.name}:truncated` };
  if (roll === 2 || !isText(form.bytes)) return { bytes: damageBytes(text, rng), name: `${form.name}:damaged` };
  return { bytes: new TextEncoder().encode(mutateText(text, rng, [], 3).text), name: `${form.name}:mutated` };
}

export interface InputTiming {
  index: number;
  bytes: number;
  ms: number;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  totalMs: number;
  inputsPerSecond: number;
  slowest: InputTiming;
  /** Inputs that threw or exceeded the time limit. */
  failures: { index: number; error: string; savedTo: string }[];
  findings: number;
  /** Inputs that carried key material, each scanned in text, JSON and SARIF. */
  keyInputs: number;
}

/** Build input `index` of the run with `seed`; independent of every other input. */
export function buildInput(seeds: SeedSet, seed: number, index: number, keys: readonly KeyUnderTest[] = []): FuzzInput {
  const rng = Rng.forInput(seed, index);
  const donors = [...seeds.kamailio, ...seeds.tls];
  const kam = mutateText(rng.pick(seeds.kamailio), rng, donors);
  const tls = mutateText(rng.pick(seeds.tls), rng, donors);
  const files: Record<string, string | Uint8Array> = {};
  const overlays: string[] = [];
  const place = (file: string, text: string) => {
    // Open documents arrive as strings; disk files as bytes, sometimes broken UTF-8.
    if (rng.chance(0.5)) {
      files[file] = text;
      overlays.push(file);
    } else {
      files[file] = rng.chance(0.4) ? damageBytes(text, rng) : new TextEncoder().encode(text);
    }
  };
  place(KAMAILIO, kam.text);
  place(TLS, tls.text);
  const mutations = [...kam.applied.map((m) => `kamailio:${m}`), ...tls.applied.map((m) => `tls:${m}`)];
  if (rng.chance(0.3)) {
    const frag = mutateText(rng.pick(seeds.kamailio), rng, donors, 3);
    place(FRAGMENT, frag.text);
    mutations.push(...frag.applied.map((m) => `fragment:${m}`));
  }
  // Now and then a damaged certificate or key, so that the PKI rules see broken input too.
  if (rng.chance(0.1)) {
    const names = Object.keys(seeds.certs);
    if (names.length > 0) {
      const name = rng.pick(names);
      const pem = new TextDecoder().decode(seeds.certs[name]);
      const broken = rng.chance(0.5) ? mutateText(pem, rng, [], 3).text : pem.slice(0, rng.int(pem.length));
      files[`${CERT_DIR}/${name}`] = rng.chance(0.5) ? damageBytes(broken, rng) : new TextEncoder().encode(broken);
      mutations.push(`cert:${name}`);
    }
  }
  let secretKey: number | undefined;
  if (keys.length > 0 && rng.chance(KEY_INPUT_SHARE)) {
    secretKey = rng.int(keys.length);
    const material = damagedKey(keys[secretKey]!, rng);
    const place = rng.pick(KEY_PLACES);
    const asText = new TextDecoder().decode(material.bytes);
    const paste = (file: string) => {
      const lines = textOf(files[file]!).split('\n');
      lines.splice(rng.int(lines.length + 1), 0, asText);
      files[file] = lines.join('\n');
      overlays.push(file);
    };
    if (place === 'as-tls-config') files[TLS] = material.bytes;
    else if (place === 'as-certificate') files[`${CERT_DIR}/${rng.pick(Object.keys(seeds.certs).length > 0 ? Object.keys(seeds.certs) : ['server.crt'])}`] = material.bytes;
    else if (place === 'pasted-into-kamailio') paste(KAMAILIO);
    else if (place === 'pasted-into-tls') paste(TLS);
    else {
      files[FRAGMENT] = material.bytes;
      files[KAMAILIO] = `${textOf(files[KAMAILIO]!)}\ninclude_file "${FRAGMENT}"\n`;
      overlays.push(KAMAILIO);
    }
    for (const file of [TLS, KAMAILIO, FRAGMENT]) if (typeof files[file] !== 'string' && overlays.includes(file)) overlays.splice(overlays.indexOf(file), 1);
    mutations.push(`key:${material.name}@${place}`);
  }
  const defines = DEFINES.filter(() => rng.chance(0.3));
  const settings: CheckSettings = { ...defaultSettings(), kamailioVersion: parseVersion(rng.pick(VERSIONS))!, defines };
  return { seed, index, files, overlays, settings, mutations, ...(secretKey !== undefined ? { secretKey } : {}) };
}

function textOf(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}

/** A checker over an in-memory /etc/kamailio with the example certificates. */
export class FuzzTarget {
  private readonly host: MemoryHost;
  private checker: Checker;
  private dirty = new Set<string>();

  constructor(
    private readonly seeds: SeedSet,
    private readonly keys: readonly KeyUnderTest[] = [],
  ) {
    this.host = new MemoryHost({}, new Date('2026-01-15T12:00:00Z'));
    this.resetCerts();
    this.checker = new Checker(this.host);
  }

  private resetCerts(): void {
    for (const [name, bytes] of Object.entries(this.seeds.certs)) this.host.writeFile(`${CERT_DIR}/${name}`, bytes);
  }

  /** Parse and check one input; returns the number of findings. Exceptions propagate. */
  run(input: FuzzInput): number {
    // Undo the previous input: its documents, disk files and damaged certificates.
    for (const file of this.dirty) {
      this.checker.deleteOverlay(file);
      this.host.remove(file);
      this.checker.invalidate(file);
    }
    this.dirty.clear();
    if (Object.keys(input.files).some((f) => f.startsWith(CERT_DIR))) this.resetCerts();
    for (const [file, content] of Object.entries(input.files)) {
      this.dirty.add(file);
      if (input.overlays.includes(file)) this.checker.setOverlay(file, content as string);
      else {
        this.host.writeFile(file, content);
        this.checker.invalidate(file);
      }
      if (file.startsWith(CERT_DIR)) this.dirty.delete(file); // restored by resetCerts, not removed
    }
    // The parsers on their own (the editor parses a document before any deployment exists)…
    parseKamailioFile(KAMAILIO, textOf(input.files[KAMAILIO]!));
    parseTlsConfig(TLS, textOf(input.files[TLS]!));
    // …then the whole rule engine over the deployment.
    const out = this.checker.check({ files: [KAMAILIO, TLS], settingsFor: () => input.settings });
    // Whatever the input quotes, the terminal report carries no raw control (issue 11).
    const raw = rawInvisible(formatText([KAMAILIO, TLS], out.findings, DIR, { color: false }));
    if (raw) throw new Error(`text output holds a raw control: ${raw}`);
    if (input.secretKey !== undefined) {
      const key = this.keys[input.secretKey]!;
      const outputs = {
        text: formatText([KAMAILIO, TLS], out.findings, DIR, { color: false }),
        json: formatJson([KAMAILIO, TLS], out.findings, out.skipped),
        sarif: formatSarif([KAMAILIO, TLS], out.findings, DIR),
      };
      for (const [format, text] of Object.entries(outputs)) {
        const hits = key.scanner.find(text);
        if (hits.length > 0) throw new Error(`${format} output repeats key material (${input.mutations.filter((m) => m.startsWith('key:')).join(', ')}): ${hits[0]}`);
      }
    }
    return out.findings.length;
  }

  /** A fresh checker: caches must not decide whether an input passes. */
  renew(): void {
    this.checker = new Checker(this.host);
  }
}

/** Save a failing input to a temporary folder so that it can be looked at and replayed. */
function save(input: FuzzInput, error: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `sip-tls-fuzz-${input.seed}-${input.index}-`));
  for (const [file, content] of Object.entries(input.files)) writeFileSync(path.join(dir, path.basename(file)), content);
  writeFileSync(path.join(dir, 'INPUT.json'), JSON.stringify({ seed: input.seed, index: input.index, mutations: input.mutations, overlays: input.overlays, defines: input.settings.defines, error }, null, 2));
  return dir;
}

export interface RunOptions {
  seed: number;
  count: number;
  /** This process runs inputs first, first + stride, … (several processes share one run). */
  first?: number;
  stride?: number;
  /** Fail an input that takes longer than this (ms). */
  limitMs: number;
  /** Inputs checked by one Checker before a fresh one is made. */
  batch?: number;
  /** Stop early when the run exceeds this wall-clock budget (ms); the report says how many ran. */
  budgetMs?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
  /** Keys whose damaged forms some inputs carry (the leak oracle); none: no key inputs. */
  keys?: readonly KeyUnderTest[];
}

export function fuzz(seeds: SeedSet, options: RunOptions): FuzzReport {
  const keys = options.keys ?? [];
  const target = new FuzzTarget(seeds, keys);
  const batch = options.batch ?? 200;
  const report: FuzzReport = { seed: options.seed, inputs: 0, totalMs: 0, inputsPerSecond: 0, slowest: { index: -1, bytes: 0, ms: 0 }, failures: [], findings: 0, keyInputs: 0 };
  const started = performance.now();
  const stride = options.stride ?? 1;
  for (let i = options.first ?? 0, done = 0; i < options.count; i += stride, done++) {
    if (done > 0 && done % batch === 0) target.renew();
    if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) break;
    const input = buildInput(seeds, options.seed, i, keys);
    if (input.secretKey !== undefined) report.keyInputs++;
    const bytes = Object.values(input.files).reduce((s, c) => s + c.length, 0);
    const t0 = performance.now();
    try {
      report.findings += target.run(input);
    } catch (e) {
      const error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
      report.failures.push({ index: i, error, savedTo: save(input, error) });
      target.renew();
    }
    const ms = performance.now() - t0;
    if (ms > report.slowest.ms) report.slowest = { index: i, bytes, ms };
    if (ms > options.limitMs) report.failures.push({ index: i, error: `took ${ms.toFixed(0)} ms (limit ${options.limitMs} ms)`, savedTo: save(input, 'slow') });
    report.inputs++;
    if (options.onProgress && report.inputs % 10_000 === 0) options.onProgress(report.inputs, report);
  }
  report.totalMs = performance.now() - started;
  report.inputsPerSecond = report.inputs / (report.totalMs / 1000);
  return report;
}

/** Re-run one input alone with a fresh checker (for debugging a reported seed/index). */
export function replay(seeds: SeedSet, seed: number, index: number, keys: readonly KeyUnderTest[] = []): { ms: number; findings: number } {
  const target = new FuzzTarget(seeds, keys);
  const input = buildInput(seeds, seed, index, keys);
  const t0 = performance.now();
  const findings = target.run(input);
  return { ms: performance.now() - t0, findings };
}

// What the certificate rules share: the files each profile really loads (explicit options and
// the built-in cert.pem), one loader per check run over the FileProbe cache, the trust sources
// (ca_list/ca_path of every profile, the user's trust anchors, the public roots), the search for
// certificates and keys nobody references (for fixes), and message helpers.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Range } from '../types';
import type { ResolvedPath } from '../paths';
import { mapLocalToDeployed } from '../paths';
import { effectiveFile, implicitServerDefault, profileViews, verifiesPeer, type ProfileSetting, type ProfileView } from '../profiles';
import { isoDay, type CertificateModel } from '../pki/certificate';
import { CertificatePool, type PooledCertificate, type TrustContext } from '../pki/chain';
import { HASHED_NAME, loadCaDirectory, loadPki, type CaDirectory, type LoadResult, type PkiFileRole } from '../pki/load';
import { publicRoots } from '../pki/publicRoots';
import type { KeyEntry } from '../pki/bundle';
import { decryptionCost } from '../pki/keyEncryption';
import { KDF_WORK_PER_CHECK } from '../pki/cryptoBudgets';
import { createHash } from 'node:crypto';
import type { ProbeRecording } from '../fileProbe';
import { edit, lineStart } from './report';
import { walkTree } from '../walk';
import type { TextEditData } from '../types';

export type FileOption = 'certificate' | 'private_key' | 'ca_list' | 'ca_path' | 'crl' | 'certificate2' | 'private_key2';

/** One file a profile loads, and where findings about it go. */
export interface FileRef {
  option: FileOption;
  /** The file and range findings go to: the option's value, or the profile's anchor for cert.pem. */
  file: string;
  range: Range;
  /** Kamailio's built-in cert.pem, not written in the configuration. */
  implicit: boolean;
  setting?: ProfileSetting;
  path: ResolvedPath;
}

export interface CertSlot {
  /** 1: certificate/private_key; 2: certificate2/private_key2 (never inherited). */
  index: 1 | 2;
  certificate?: FileRef;
  privateKey?: FileRef;
  password?: ProfileSetting;
}

export interface CertProfile {
  view: ProfileView;
  slots: CertSlot[];
  caList?: FileRef;
  caPath?: FileRef;
  crl?: FileRef;
  verifiesPeer: boolean;
  /** The modparam-mode client profile: it shares the server's files, which are judged once. */
  sharesServerFiles: boolean;
}

function fileRef(deployment: Deployment, view: ProfileView, option: FileOption): FileRef | undefined {
  const eff = effectiveFile(view, option);
  if (eff.kind === 'none') return undefined;
  if (eff.kind === 'implicit') {
    return { option, file: view.file, range: view.anchor, implicit: true, path: deployment.resolve(eff.value) };
  }
  const path = deployment.resolve(eff.setting.value);
  if (path.notAFile) return undefined; // /uri:… or /engine:… — a key in a provider or engine
  return { option, file: eff.setting.file, range: eff.setting.range, implicit: false, setting: eff.setting, path };
}

/** Every profile Kamailio builds, with the files it loads. */
export function certProfiles(deployment: Deployment): CertProfile[] {
  const views = profileViews(deployment);
  const implicit = implicitServerDefault(deployment, views);
  const all = implicit ? [...views, implicit] : views;
  return all.map((view) => {
    const slot = (index: 1 | 2): CertSlot => {
      const [c, k, p] = index === 1 ? (['certificate', 'private_key', 'private_key_password'] as const) : (['certificate2', 'private_key2', 'private_key_password2'] as const);
      const certificate = fileRef(deployment, view, c);
      const privateKey = fileRef(deployment, view, k);
      const password = view.get(p);
      return { index, ...(certificate ? { certificate } : {}), ...(privateKey ? { privateKey } : {}), ...(password ? { password } : {}) };
    };
    const caList = fileRef(deployment, view, 'ca_list');
    const caPath = fileRef(deployment, view, 'ca_path');
    const crl = view.get('crl') ? fileRef(deployment, view, 'crl') : undefined;
    return {
      view,
      slots: view.get('certificate2') ? [slot(1), slot(2)] : [slot(1)],
      ...(caList ? { caList } : {}),
      ...(caPath ? { caPath } : {}),
      ...(crl ? { crl } : {}),
      verifiesPeer: verifiesPeer(view),
      sharesServerFiles: view.source === 'modparam' && view.role === 'client',
    };
  });
}

/** Per check run: loads through the FileProbe cache, the trust sources, nearby files. */
export class PkiRun {
  private trustContext: TrustContext | undefined;
  private readonly caDirs = new Map<string, Memo<CaDirectory | undefined>>();
  private readonly nearby = new Map<string, Memo<{ path: string; result: LoadResult }[]>>();
  private readonly stores = new Map<CertProfile, Memo<PooledCertificate[]>>();
  private readonly decryptionPlans = new Map<'plan', Memo<DecryptionPlan>>();

  constructor(
    readonly deployment: Deployment,
    readonly profiles: CertProfile[],
  ) {}

  get now(): Date {
    return this.deployment.probe.now();
  }

  /** A finding is about to compare `date` with `now`: reused findings hold only until it flips. */
  dependsOn(date: Date): void {
    this.deployment.probe.dependsOnDate(date);
  }

  load(ref: FileRef | string, role: PkiFileRole): LoadResult {
    return loadPki(this.deployment.probe, typeof ref === 'string' ? ref : ref.path.local, role);
  }

  caDirectory(local: string): CaDirectory | undefined {
    return this.memo(this.caDirs, local, () => loadCaDirectory(this.deployment.probe, local));
  }

  /**
   * A value computed once per run. A later ask replays the file questions of the first, so that
   * the findings of each profile, which may be reused on their own (check.ts), record everything
   * they depend on.
   */
  private memo<K, T>(cache: Map<K, Memo<T>>, key: K, compute: () => T): T {
    const probe = this.deployment.probe;
    const hit = cache.get(key);
    if (hit) {
      probe.replay(hit.reads);
      return hit.value;
    }
    const reads = probe.startRecording();
    let value: T;
    try {
      value = compute();
    } finally {
      probe.stopRecording();
    }
    cache.set(key, { value, reads });
    return value;
  }

  /** ca_list/ca_path of every profile, the user's trust anchors, the public roots. */
  get trust(): TrustContext {
    // Not a replaying memo: every profile asks for it, and replaying the reads of every CA file
    // into each profile's recording made the rules quadratic in the number of profiles. The
    // certificate rules build it first, in the run's own recording (checkCertificates).
    if (this.trustContext) return this.trustContext;
    const configured = new CertificatePool();
    for (const p of this.profiles) for (const entry of this.storeOf(p)) configured.add(entry.cert, entry.origin);
    const anchors = new CertificatePool();
    for (const path of this.deployment.settings.trustAnchors) {
      const r = this.load(path, 'ca');
      if (r.ok) for (const c of r.file.certificates) anchors.add(c.certificate, { kind: 'trust-anchor', path });
    }
    this.trustContext = { configured, anchors, publicRoots };
    return this.trustContext;
  }

  /**
   * The certificates of a profile's own trust store: ca_list, ca_path (hashed names) and the crl
   * file, which Kamailio loads with the same call as a CA list (ORACLE-NOTES R3).
   */
  storeOf(profile: CertProfile): PooledCertificate[] {
    return this.memo(this.stores, profile, () => {
      const out: PooledCertificate[] = [];
      for (const ref of [profile.caList, profile.crl]) {
        if (!ref) continue;
        const r = this.load(ref, 'ca');
        if (r.ok) for (const c of r.file.certificates) out.push({ cert: c.certificate, origin: { kind: 'ca-list', path: ref.path.deployed } });
      }
      if (profile.caPath) {
        const dir = this.caDirectory(profile.caPath.path.local);
        for (const f of dir?.files ?? []) {
          for (const c of f.file.certificates) out.push({ cert: c.certificate, origin: { kind: 'ca-list', path: mapLocalToDeployed(f.path, this.deployment.settings.pathMappings) } });
        }
      }
      return out;
    });
  }

  /** The profile's store as a pool (for OpenSSL's auto-chain of a leaf-only certificate file). */
  storePool(profile: CertProfile): CertificatePool {
    const pool = new CertificatePool();
    for (const e of this.storeOf(profile)) pool.add(e.cert, e.origin);
    return pool;
  }

  /** Trust sources plus a search of the folders around `near` (for chain.incomplete fixes). */
  trustWithSearch(near: string[]): TrustContext {
    return { ...this.trust, search: (child) => this.searchIssuers(child, near) };
  }

  /** Folders worth searching: the given ones, the main configuration's folder and its subfolders (2 levels). */
  private searchFolders(near: string[]): string[] {
    const out = new Set(near);
    const base = this.deployment.localConfigDir;
    out.add(base);
    const probe = this.deployment.probe;
    // stat through the probe: the answers are recorded, so reused findings notice a new folder.
    const host = { ...probe.host, stat: (p: string) => probe.stat(p) };
    // Links are followed inside the repository (anywhere on the live server: certs -> /etc/letsencrypt).
    const boundary = this.deployment.settings.scope?.root ?? '/';
    const walk = walkTree(host, base, { boundary, budgets: { depth: 2, directories: MAX_SEARCH_FOLDERS }, skipFolder: (n) => n.startsWith('.') || n === 'node_modules' });
    for (const dir of walk.directories) if (out.size < MAX_SEARCH_FOLDERS) out.add(dir);
    return [...out];
  }

  /** PEM-looking files of a folder, loaded (bounded, cached). */
  filesIn(dir: string): { path: string; result: LoadResult }[] {
    return this.memo(this.nearby, dir, () => {
      const names = this.deployment.probe.host.readDir(dir);
      const out: { path: string; result: LoadResult }[] = [];
      if (Array.isArray(names)) {
        for (const n of names.filter((x) => PEM_NAME.test(x) || HASHED_NAME.test(x)).sort().slice(0, MAX_FILES_PER_FOLDER)) {
          const path = posix.join(dir, n);
          const st = this.deployment.probe.stat(path);
          if ('error' in st || st.kind !== 'file') continue;
          out.push({ path, result: this.load(path, 'certificate') });
        }
      }
      return out;
    });
  }

  private searchIssuers(child: CertificateModel, near: string[]): PooledCertificate[] {
    const out: PooledCertificate[] = [];
    for (const dir of this.searchFolders(near)) {
      // A file of CA certificates only (intermediate.crt, chain.pem) names the intermediate
      // better than another leaf's full chain that happens to hold it too.
      for (const { path, result } of caFilesFirst(this.filesIn(dir))) {
        if (!result.ok) continue;
        for (const c of result.file.certificates) {
          if (c.certificate.subject.canonical === child.issuer.canonical) out.push({ cert: c.certificate, origin: { kind: 'found', path: mapLocalToDeployed(path, this.deployment.settings.pathMappings) } });
        }
      }
    }
    return out;
  }

  /**
   * Whether this check decrypts the key of `ref` with `password` (KDF_WORK_PER_CHECK): the
   * distinct (key file, password) pairs of the deployment, in configuration order, share one
   * budget. Decided for all of them at once, from their headers — so the answer does not depend
   * on which profiles' findings were reused or on what is cached — and every profile that asks
   * records the files the plan read.
   */
  decryptionAllowed(ref: FileRef, password: string): { allowed: true } | { allowed: false; spentBefore: number } {
    const plan = this.memo(this.decryptionPlans, 'plan', () => this.planDecryptions());
    return plan.get(decryptionId(ref.path.local, password)) ?? { allowed: true };
  }

  private planDecryptions(): DecryptionPlan {
    const plan: DecryptionPlan = new Map();
    let spent = 0;
    for (const profile of this.profiles) {
      for (const slot of profile.slots) {
        if (!slot.privateKey || !slot.password) continue;
        const id = decryptionId(slot.privateKey.path.local, slot.password.value);
        if (plan.has(id)) continue;
        const loaded = this.load(slot.privateKey, 'certificate');
        const key = loaded.ok ? loaded.file.keys[0]?.key : undefined;
        if (!key?.encrypted || !key.encryption) continue;
        const cost = decryptionCost(key.encryption);
        if (!cost.ok) continue; // never decrypted at all: said on its own
        plan.set(id, spent + cost.units <= KDF_WORK_PER_CHECK ? { allowed: true } : { allowed: false, spentBefore: spent });
        if (spent + cost.units <= KDF_WORK_PER_CHECK) spent += cost.units;
      }
    }
    return plan;
  }

  /** Unencrypted private keys in the folders (for key.mismatch fixes). */
  keysIn(dirs: string[]): { path: string; key: KeyEntry }[] {
    const out: { path: string; key: KeyEntry }[] = [];
    for (const dir of new Set(dirs)) {
      for (const { path, result } of this.filesIn(dir)) {
        if (!result.ok) continue;
        const first = result.file.keys[0];
        if (first) out.push({ path, key: first });
      }
    }
    return out;
  }
}

type DecryptionPlan = Map<string, { allowed: true } | { allowed: false; spentBefore: number }>;

/** A key file and a password, without keeping the password. */
function decryptionId(local: string, password: string): string {
  return `${local}\0${createHash('sha256').update(password).digest('hex')}`;
}

/** A per-run value with the file questions its computation asked. */
interface Memo<T> {
  value: T;
  reads: ProbeRecording;
}

/** Files holding only CA certificates first, in name order otherwise (a stable sort). */
export function caFilesFirst<T extends { result: LoadResult }>(files: T[]): T[] {
  const onlyCa = (f: T) => f.result.ok && f.result.file.certificates.length > 0 && f.result.file.certificates.every((c) => c.certificate.isCa);
  return [...files.filter(onlyCa), ...files.filter((f) => !onlyCa(f))];
}

const MAX_SEARCH_FOLDERS = 16;
const MAX_FILES_PER_FOLDER = 100;
const PEM_NAME = /\.(pem|crt|cer|cert|key|ca-bundle|chain)$/i;

// --- messages and fixes ------------------------------------------------------------------------

const DAY = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY);
}

export function quoteName(cert: CertificateModel): string {
  return `'${cert.displayName}'`;
}

/** "'sip.example.com' (valid 2025-01-01 – 2026-01-01)" */
export function certWithDates(cert: CertificateModel): string {
  return `${quoteName(cert)} (valid ${isoDay(cert.notBefore)} to ${isoDay(cert.notAfter)})`;
}

/** How a referenced file is named in messages. */
export function refWords(ref: FileRef): string {
  if (ref.implicit) return `the built-in ${ref.option === 'private_key' ? 'key' : 'certificate'} file cert.pem (${ref.path.deployed})`;
  return `${ref.option} ${ref.path.deployed}`;
}

/** "[server:default] certificate /etc/kamailio/server.pem" */
export function subject(profile: CertProfile, ref: FileRef): string {
  return `${profile.view.label}: ${refWords(ref)}`;
}

/** Write a value for an option in the style of the original (quotes kept; modparams are quoted). */
export function formatValue(setting: ProfileSetting | undefined, value: string): string {
  if (setting?.modparam || setting?.option?.quoted || /[\s#"=]/.test(value)) return JSON.stringify(value);
  return value;
}

/** A new value naming `newLocal`, written like `ref`'s value when both are in the same folder. */
export function valueFor(deployment: Deployment, ref: FileRef, newLocal: string): string {
  const base = posix.basename(ref.path.local);
  const value = ref.setting?.value;
  if (value && posix.dirname(ref.path.local) === posix.dirname(newLocal) && value.endsWith(base)) {
    return value.slice(0, value.length - base.length) + posix.basename(newLocal);
  }
  const deployed = mapLocalToDeployed(newLocal, deployment.settings.pathMappings);
  // Relative to the main configuration folder when it is inside it (Kamailio's own rule, §1.9).
  const cfgDir = deployment.resolutionBase().deployedConfigDir;
  if (deployed.startsWith(cfgDir.endsWith('/') ? cfgDir : cfgDir + '/')) return deployed.slice(cfgDir.length + (cfgDir.endsWith('/') ? 0 : 1));
  return deployed;
}

/** Point an option at a new file: replace its value, or insert the option under the header. */
export function pointOptionAt(deployment: Deployment, profile: CertProfile, ref: FileRef, newLocal: string): TextEditData | undefined {
  const value = valueFor(deployment, ref, newLocal);
  if (!ref.implicit && ref.setting) return edit(ref.setting.file, ref.setting.range, formatValue(ref.setting, value));
  // cert.pem fallback: only a tls.cfg profile has a header to insert under.
  if (profile.view.source !== 'tls.cfg' || !profile.view.profile) return undefined;
  return edit(profile.view.file, lineStart(profile.view.anchor.start.line + 1), `${ref.option} = ${formatValue(undefined, value)}\n`);
}


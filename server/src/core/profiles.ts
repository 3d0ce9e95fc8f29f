// The TLS profiles Kamailio will actually build for a deployment, whichever way they are
// configured: from tls.cfg (modparam "config") or from per-profile modparams (then one server
// and one client default profile share the same settings, reference §2.1). Policy rules read
// this view so they need not care where a value came from.
import type { Range } from './types';
import type { Deployment } from './deployment';
import type { LoadModuleStatement, ModParamStatement } from './kamailio/model';
import type { ProfileRole, ProfileTarget, TlsOption, TlsProfile } from './tlscfg/model';
import { hasBrokenLines, optionValue } from './tlscfg/model';
import { lookupTlsModparam } from './tlscfg/modparams';
import { parseTlsBoolean } from './tlscfg/schema';
import { moduleArgumentMatches, tlsEngineLoad } from './kamailio/modules';
import { lastTlsConfigModparam } from './kamailio/tlsConfigParam';
import { excerpt } from './quote';

export interface ProfileSetting {
  value: string;
  file: string;
  /** Range of the value as written. */
  range: Range;
  /** Range of the key (tls.cfg) or parameter name (modparam). */
  keyRange: Range;
  option?: TlsOption;
  modparam?: ModParamStatement;
}

export interface ProfileView {
  role: ProfileRole;
  target: ProfileTarget;
  source: 'tls.cfg' | 'modparam';
  /** Where findings about the whole profile go: the [header], or the loadmodule "tls.so". */
  file: string;
  anchor: Range;
  /** Human name: the header text, or "the default profiles (modparam mode)". */
  label: string;
  /** Kamailio's log name, e.g. TLSs<default>. */
  logName: string;
  profile?: TlsProfile;
  /** The explicit setting of a tls.cfg option name (last one wins), if any. */
  get(name: string): ProfileSetting | undefined;
  /** A syntax error in the profile's body: its omitted options are not judged (tlscfg/model.ts hasBrokenLines). */
  broken?: boolean;
}

/** The TLS engine is loaded (an active loadmodule "tls.so" or "tls_wolfssl.so"). */
export function tlsLoadStatement(deployment: Deployment): LoadModuleStatement | undefined {
  return tlsEngineLoad(deployment.kamailio?.modules ?? []);
}

export function profileViews(deployment: Deployment): ProfileView[] {
  // TLS off (kamailio/tlsIntent.ts): tls.so builds no profile at all.
  if (deployment.tlsIntent !== 'on') return [];
  const cfg = deployment.kamailio;
  const tlsConfigModparam = cfg ? lastTlsConfigModparam(cfg.modparams) : undefined;
  if (deployment.tls && (tlsConfigModparam || deployment.standalone)) {
    const all = deployment.tls.documents.flatMap((doc) => doc.profiles.map((profile) => ({ doc, profile })));
    // A repeated [server:default] / [client:default] replaces the earlier one entirely: Kamailio
    // never loads the dropped profile's files (verified on 5.6.3).
    const lastDefault = new Map<string, TlsProfile>();
    for (const { profile } of all) if (profile.target.kind === 'default') lastDefault.set(profile.role, profile);
    return all
      .filter(({ profile }) => profile.target.kind !== 'default' || lastDefault.get(profile.role) === profile)
      .map(({ doc, profile }) => fromTlsCfg(doc.file, profile, hasBrokenLines(doc, profile)));
  }
  if (!cfg || tlsConfigModparam) return [];
  const load = tlsLoadStatement(deployment);
  if (!load) return [];
  // Only the modparams addressed to the loaded engine reach it (modparam.c matches the module name).
  return modparamViews(load, cfg.modparams.filter((m) => moduleArgumentMatches(m.module, load.module)));
}

/**
 * A tls.cfg profile's view depends on the profile object alone, and an unchanged profile keeps its
 * object from keystroke to keystroke (tlscfg/incremental.ts): build it, and each setting, once.
 */
const tlsCfgViews = new WeakMap<TlsProfile, ProfileView>();

function fromTlsCfg(file: string, profile: TlsProfile, broken: boolean): ProfileView {
  const hit = tlsCfgViews.get(profile);
  if (hit && hit.file === file && (hit.broken === true) === broken) return hit;
  const prefix = profile.role === 'server' ? 'TLSs' : 'TLSc';
  const t = profile.target;
  const logName =
    t.kind === 'default'
      ? `${prefix}<default>`
      : t.kind === 'any'
        ? `${prefix}<any:${excerpt(optionValue(profile, 'server_name')?.value ?? '')}>`
        : t.kind === 'address'
          ? `${prefix}<${t.ip}:${t.port}>`
          : `${prefix}<${excerpt(profile.headerText)}>`;
  const settings = new Map<string, ProfileSetting | undefined>();
  const view: ProfileView = {
    role: profile.role,
    target: profile.target,
    source: 'tls.cfg',
    file,
    anchor: profile.headerRange,
    label: excerpt(profile.headerText),
    logName,
    profile,
    ...(broken ? { broken } : {}),
    get(name) {
      if (settings.has(name)) return settings.get(name);
      const o = optionValue(profile, name);
      const setting = o ? { value: o.value, file, range: o.valueRange, keyRange: o.keyRange, option: o } : undefined;
      settings.set(name, setting);
      return setting;
    },
  };
  tlsCfgViews.set(profile, view);
  return view;
}

function modparamViews(load: LoadModuleStatement, modparams: ModParamStatement[]): ProfileView[] {
  const settings = new Map<string, ProfileSetting>();
  for (const m of modparams) {
    const spec = lookupTlsModparam(m.param);
    if (!spec?.tlsCfgKey || spec.neverApplied) continue;
    // A later modparam call replaces an earlier one.
    settings.set(spec.tlsCfgKey, { value: m.value.text, file: m.file, range: m.value.range, keyRange: m.paramRange, modparam: m });
  }
  const make = (role: ProfileRole): ProfileView => ({
    role,
    target: { kind: 'default' },
    source: 'modparam',
    file: load.file,
    anchor: load.pathRange,
    label: role === 'server' ? 'the default server profile (tls modparams)' : 'the default client profile (tls modparams)',
    logName: role === 'server' ? 'TLSs<default>' : 'TLSc<default>',
    get: (name) => settings.get(name),
  });
  return [make('server'), make('client')];
}

/** The method a profile uses: explicit, else the built-in default (§1.4; modparam mode: TLSv1). */
export function effectiveMethod(view: ProfileView): { value: string; explicit?: ProfileSetting } {
  const explicit = view.get('method');
  if (explicit) return { value: explicit.value, explicit };
  return { value: view.source === 'modparam' ? 'TLSv1' : 'TLSv1+' };
}

/** What a profile loads for a file option (tls_domain.c ksr_tls_fill_missing; reference §1.7). */
export type EffectiveFile =
  | { kind: 'explicit'; setting: ProfileSetting }
  /** Omitted: the built-in `cert.pem` beside the main kamailio.cfg. */
  | { kind: 'implicit'; value: 'cert.pem' }
  /** Not set (a client profile's certificate), or set to "" (load nothing). */
  | { kind: 'none' };

/**
 * The certificate or key file a profile really loads. Server profiles — and both default
 * profiles in modparam mode, which share the modparam values — fall back to cert.pem for an
 * omitted certificate/private_key; client profiles in tls.cfg load nothing. The second pair
 * (certificate2/private_key2) is never filled in.
 */
export function effectiveFile(view: ProfileView, option: string): EffectiveFile {
  const s = view.get(option);
  if (s) return s.value === '' ? { kind: 'none' } : { kind: 'explicit', setting: s };
  // What a broken profile omits may be on its broken line: Kamailio stops there anyway.
  if (view.broken) return { kind: 'none' };
  if ((option === 'certificate' || option === 'private_key') && (view.role === 'server' || view.source === 'modparam')) return { kind: 'implicit', value: 'cert.pem' };
  return { kind: 'none' };
}

/**
 * The [server:default] Kamailio creates when a tls.cfg has none (tls_fix_domains_cfg): it loads
 * cert.pem as certificate and key. Findings about it go where tlscfg.missing-default goes: the
 * first profile header (or the top of the file).
 */
export function implicitServerDefault(deployment: Deployment, views: ProfileView[]): ProfileView | undefined {
  const docs = deployment.tls?.documents ?? [];
  if (docs.length === 0 || views.some((v) => v.source !== 'tls.cfg')) return undefined;
  if (!deployment.standalone && !lastTlsConfigModparam(deployment.kamailio?.modparams ?? [])) return undefined;
  if (views.some((v) => v.role === 'server' && v.target.kind === 'default')) return undefined;
  if (docs.every((d) => d.profiles.length === 0 && d.problems.length > 0)) return undefined;
  // A key or certificate given as tls.cfg: Kamailio stops parsing before it builds any profile.
  if (docs.some((d) => d.cryptoMaterial)) return undefined;
  const first = docs.find((d) => d.profiles.length > 0);
  const file = first?.file ?? docs[0]!.file;
  const anchor: Range = first ? first.profiles[0]!.headerRange : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    role: 'server',
    target: { kind: 'default' },
    source: 'tls.cfg',
    file,
    anchor,
    label: 'the implicit [server:default] (the tls.cfg has none, so Kamailio creates one)',
    logName: 'TLSs<default>',
    get: () => undefined,
  };
}

/** A boolean option of the profile is set to a true value. */
function settingOn(view: ProfileView, name: string): boolean {
  const v = view.get(name)?.value.trim().toLowerCase();
  return v !== undefined && (v === '1' || parseTlsBoolean(v) === true);
}

/** The profile verifies its peer's certificate (tls_domain.c set_verification; reference §1.6). */
export function verifiesPeer(view: ProfileView): boolean {
  const on = (name: string): boolean => settingOn(view, name);
  const verifyClient = view.get('verify_client')?.value.trim().toLowerCase();
  if (view.role === 'client') return on('verify_certificate') || on('require_certificate');
  if (verifyClient === 'optional_no_ca') return false;
  return on('verify_certificate') || on('require_certificate') || verifyClient === 'on' || verifyClient === 'optional';
}

/**
 * Every peer must present a certificate that verifies: a server profile with
 * SSL_VERIFY_FAIL_IF_NO_PEER_CERT (`require_certificate` or `verify_client = on`), or a client
 * profile that verifies at all (a server always presents one; reference §1.6, issue #551).
 */
export function requiresPeerCertificate(view: ProfileView): boolean {
  if (view.role === 'client') return verifiesPeer(view);
  return settingOn(view, 'require_certificate') || view.get('verify_client')?.value.trim().toLowerCase() === 'on';
}

// TLS policy — the suites of a cipher_list that really remain for a profile's TLS 1.2 peers:
// `tls.cipher-no-usable-suite` (none fits the certificate's key: "no shared cipher") and
// `tls.cipher-no-ecdhe` (no ECDHE key exchange: peers that require it refuse). OpenSSL decides
// which suites a list selects and what they need (tlscfg/cipherSuites.ts); here the profile
// decides which versions are negotiated and which key the server presents.
import type { Deployment } from '../deployment';
import type { Platform } from '../platform';
import { effectiveFile, effectiveMethod, type ProfileSetting, type ProfileView } from '../profiles';
import { lookupMethod } from '../tlscfg/schema';
import { judgeSuites, suiteKeyClass, type SuiteKeyClass, type SuiteVerdict } from '../tlscfg/cipherSuites';
import { loadPki } from '../pki/load';
import { certificateModels } from '../pki/bundle';
import { Reporter, edit, fix } from './report';

/** Which versions a method lets this platform negotiate: TLS ≤ 1.2 (where cipher_list applies) and TLS 1.3. */
export interface Negotiated {
  classic: boolean;
  tls13: boolean;
}

/**
 * cipher_list restricts only TLS ≤ 1.2: in 5.6 it always goes to SSL_CTX_set_cipher_list, and
 * from 6.0.2 it goes to SSL_CTX_set_ciphersuites only with TLSv1.3/TLSv1.3+ (reference §0.1). A
 * method of TLS 1.0/1.1 alone negotiates nothing on OpenSSL 3 (tls.protocol-outdated says so)
 * unless the platform still allows them or the list lowers the security level.
 */
export function negotiatedVersions(method: string, platform: Platform, classicList: string): Negotiated | undefined {
  const spec = lookupMethod(method);
  if (!spec || spec.unusable) return undefined;
  if (spec.min === '1.3') return { classic: false, tls13: true };
  if (!spec.exact) return { classic: true, tls13: true };
  if (spec.min === '1.2') return { classic: true, tls13: false };
  return { classic: platform.legacyTls || /@SECLEVEL=0/i.test(classicList), tls13: false };
}

/** Key classes of the certificates a server profile presents; undefined when one is not known here. */
function presentedKeys(deployment: Deployment, view: ProfileView): SuiteKeyClass[] | undefined {
  if (view.role !== 'server' && view.source !== 'modparam') return undefined;
  const options = view.get('certificate2') ? ['certificate', 'certificate2'] : ['certificate'];
  const keys: SuiteKeyClass[] = [];
  for (const option of options) {
    const eff = effectiveFile(view, option);
    if (eff.kind === 'none') return undefined;
    const path = deployment.resolve(eff.kind === 'explicit' ? eff.setting.value : eff.value);
    if (path.notAFile) return undefined;
    const loaded = loadPki(deployment.probe, path.local, 'certificate');
    if (!loaded.ok) return undefined;
    // SSL_CTX_use_certificate_chain_file: the first certificate of the file is the server's own.
    const own = certificateModels(loaded.file)[0];
    const key = own ? suiteKeyClass(own.publicKey.type) : undefined;
    if (!key) return undefined;
    keys.push(key);
  }
  return keys;
}

const KEY_WORDS: Record<SuiteKeyClass, string> = { rsa: 'RSA', 'rsa-pss': 'RSA-PSS', ecdsa: 'ECDSA' };

/** Suites to put first so that the key has ECDHE suites (OpenSSL class keywords, not names). */
const ECDHE_FOR_KEY: Record<SuiteKeyClass, string> = { rsa: 'ECDHE+aRSA+AESGCM', 'rsa-pss': 'ECDHE+aRSA+AESGCM', ecdsa: 'ECDHE+aECDSA+AESGCM' };

function prepend(list: ProfileSetting, view: ProfileView, suites: string, title: string) {
  const value = `${suites}:${list.value}`;
  const text = view.source === 'modparam' && list.modparam?.value.kind === 'string' ? JSON.stringify(value) : value;
  return { fixes: [fix(title, [edit(list.file, list.range, text)])] };
}

/** In modparam mode both default profiles share cipher_list: the server view reports. */
export function checkRemainingSuites(deployment: Deployment, view: ProfileView, list: ProfileSetting, out: Reporter): void {
  if (view.source === 'modparam' && view.role === 'client') return;
  const method = effectiveMethod(view).value;
  const versions = negotiatedVersions(method, deployment.settings.platform, list.value);
  if (!versions?.classic) return;
  const serving = view.role === 'server';
  const keys = serving ? presentedKeys(deployment, view) : undefined;
  const verdicts = keys ? keys.map((k) => ({ key: k, verdict: judgeSuites(list.value, k) })) : [{ key: undefined, verdict: judgeSuites(list.value, undefined) }];
  const usable = verdicts.filter((v) => !v.verdict.noUsableSuite);
  if (usable.length === 0) {
    // Without a key only PSK, SRP or anonymous suites are left: not worth a claim about peers.
    if (!verdicts[0]!.key) return;
    reportNoUsableSuite(view, list, method, versions, verdicts[0]!.key!, verdicts[0]!.verdict, out);
    return;
  }
  if (usable.every((v) => v.verdict.noEcdhe)) reportNoEcdhe(view, list, versions, usable[0]!.key, usable.every((v) => v.verdict.noForwardSecrecy), out);
}

function reportNoUsableSuite(view: ProfileView, list: ProfileSetting, method: string, versions: Negotiated, key: SuiteKeyClass, verdict: SuiteVerdict, out: Reporter): void {
  const keyWord = KEY_WORDS[key];
  const why =
    key === 'rsa-pss' && verdict.onlyAuth === 'RSA'
      ? 'they need RSA key exchange, which an RSA-PSS key cannot do, or a PSK/SRP Kamailio never configures'
      : verdict.onlyAuth
        ? `they authenticate with ${verdict.onlyAuth}`
        : 'they authenticate with another key type, are anonymous, or need a PSK/SRP Kamailio never configures';
  const head = `${view.logName}: no TLS 1.2 suite of cipher_list '${list.value}' can be used with the certificate's ${keyWord} key (${why})`;
  const log = '"TLS accept:error:0A0000C1:SSL routines::no shared cipher"';
  const fixes = prepend(list, view, ECDHE_FOR_KEY[key], `Add ${keyWord} suites: ${ECDHE_FOR_KEY[key]}:…`);
  if (versions.tls13) {
    out.add(
      'tls.cipher-no-usable-suite',
      list.file,
      list.range,
      `${head}: every TLS 1.2 handshake fails with ${log}. Peers that offer TLS 1.3 still connect — method ${method} allows it and cipher_list does not restrict TLS 1.3 suites — but a TLS 1.2-only peer (many SIP phones, SBCs and carriers) never does.`,
      { severity: 'warning', ...fixes },
    );
    return;
  }
  out.add('tls.cipher-no-usable-suite', list.file, list.range, `${head}, and method ${method} allows no TLS 1.3: no TLS handshake of this profile ever completes (Kamailio logs ${log}).`, fixes);
}

function reportNoEcdhe(view: ProfileView, list: ProfileSetting, versions: Negotiated, key: SuiteKeyClass | undefined, noForwardSecrecy: boolean, out: Reporter): void {
  const whose = view.role === 'server' ? (key ? ` with the certificate's ${KEY_WORDS[key]} key` : '') : ' (this client profile offers)';
  const what = noForwardSecrecy ? 'RSA key exchange only, without forward secrecy (a stolen key decrypts every recorded session)' : 'DHE but no ECDHE key exchange';
  const tls13 = versions.tls13 ? ' TLS 1.3 is not affected (its suites always use ECDHE or DHE).' : '';
  const direction = view.role === 'server' ? 'connecting to Kamailio' : 'Kamailio connects to';
  out.add(
    'tls.cipher-no-ecdhe',
    list.file,
    list.range,
    `${view.logName}: the TLS 1.2 suites cipher_list '${list.value}' leaves${whose} use ${what}. TLS 1.2 peers ${direction} that accept only ECDHE suites refuse the handshake — Microsoft Teams Direct Routing is described with TLS 1.2 ECDHE suites only, and Mozilla's intermediate guideline allows nothing else for TLS 1.2.${tls13}`,
    prepend(list, view, key ? ECDHE_FOR_KEY[key] : 'ECDHE+AESGCM', `Prefer ECDHE suites: ${key ? ECDHE_FOR_KEY[key] : 'ECDHE+AESGCM'}:…`),
  );
}

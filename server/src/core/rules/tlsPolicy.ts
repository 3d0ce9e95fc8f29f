// TLS policy — `tls.*`: protocol versions, ciphers and peer verification of every profile
// Kamailio builds, whether from tls.cfg or from modparams.
import type { Deployment } from '../deployment';
import type { FixData } from '../types';
import { effectiveMethod, profileViews, tlsLoadStatement, type ProfileView } from '../profiles';
import { lookupMethod, parseTlsBoolean } from '../tlscfg/schema';
import { judgeCipherList, MODERN_CIPHER_LIST } from '../tlscfg/ciphers';
import { patchAtLeast } from '../version';
import { Reporter, edit, fix, lineStart } from './report';
import { checkRemainingSuites } from './cipherSuites';
import { tlsEngineOf } from './wolfssl';

export function checkTlsPolicy(deployment: Deployment, out: Reporter): void {
  // tls_wolfssl ignores method and cipher_list (rules/wolfssl.ts says so): nothing to judge.
  const openssl = tlsEngineOf(deployment) === 'tls';
  for (const view of profileViews(deployment)) {
    if (view.target.kind === 'invalid') continue;
    if (openssl) {
      checkProtocol(deployment, view, out);
      checkCiphers(deployment, view, out);
    }
    checkVerification(view, tlsLoadStatement(deployment)?.module ?? 'tls', out);
  }
}

/** An edit that sets an option: replaces an explicit value, or inserts a line. */
function setOption(deployment: Deployment, view: ProfileView, name: string, value: string, title: string): FixData | undefined {
  const current = view.get(name);
  if (current) {
    return fix(title, [edit(current.file, current.range, view.source === 'modparam' && current.modparam?.value.kind === 'string' ? JSON.stringify(value) : value)], true);
  }
  if (view.source === 'tls.cfg') return fix(title, [edit(view.file, lineStart(view.anchor.start.line + 1), `${name} = ${value}\n`)], true);
  const load = tlsLoadStatement(deployment);
  const param = name === 'method' ? 'tls_method' : name;
  if (!load) return undefined;
  const text = name === 'method' || name === 'ca_list' || name === 'cipher_list' ? JSON.stringify(value) : value;
  return fix(title, [edit(load.file, lineStart(load.range.end.line + 1), `modparam("${load.module}", "${param}", ${text})\n`)], true);
}

const VERSION_WORDS: Record<string, string> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  '1.0': 'TLS 1.0',
  '1.1': 'TLS 1.1',
};

/**
 * Which TLS versions a profile's method allows, judged by what the platform's OpenSSL really
 * negotiates (platform.ts). With OpenSSL 3 (or Debian's 1.1.1 policy) a range that starts below
 * TLS 1.2 negotiates TLS 1.2+ only — worth knowing, nothing more — while a method of TLS 1.0 or
 * 1.1 alone completes no handshake at all, unless cipher_list lowers the security level to 0 and
 * the peer does too. Only a platform that still negotiates TLS 1.0/1.1 gets the downgrade warning.
 */
function checkProtocol(deployment: Deployment, view: ProfileView, out: Reporter): void {
  // In modparam mode both default profiles share tls_method: one finding, from the server view.
  if (view.source === 'modparam' && view.role === 'client') return;
  const { value, explicit } = effectiveMethod(view);
  if (!explicit && view.broken) return; // the method may be on the broken line
  const spec = lookupMethod(value);
  if (!spec || spec.unusable) return; // reported as a bad value
  if (spec.min === '1.2' || spec.min === '1.3') return;
  const platform = deployment.settings.platform;
  const lowest = VERSION_WORDS[spec.min] ?? spec.min;
  const seclevel0 = /@SECLEVEL=0/i.test(view.get('cipher_list')?.value ?? '');
  let what: string;
  if (!explicit) {
    what =
      view.source === 'modparam'
        ? `the default server and client profiles (tls modparams) have no tls_method, so Kamailio uses its modparam default TLSv1 — TLS 1.0 only`
        : `${view.label} sets no method, so Kamailio uses the built-in TLSv1+ (TLS 1.0 and newer)`;
  } else if (spec.exact) {
    what = `method ${value} means ${lowest} only — not "TLS v1.x"`;
  } else {
    what = `method ${value} allows ${lowest} and newer`;
  }
  const f = setOption(deployment, view, 'method', 'TLSv1.2+', 'Use TLSv1.2+');
  const fixes = f ? { fixes: [f] } : {};
  const where = explicit?.file ?? view.file;
  const range = explicit?.range ?? view.anchor;
  const on = `on ${platform.name}`;
  if (spec.exact) {
    if (platform.legacyTls || seclevel0) {
      out.add('tls.protocol-outdated', where, range, `${what}: ${seclevel0 && !platform.legacyTls ? `with @SECLEVEL=0 in cipher_list, OpenSSL ${platform.openssl} ${on} offers it, but only` : `${on} only`} peers that still accept ${lowest} can connect — carriers, browsers (WebRTC) and phones with current TLS stacks refuse it.`, fixes);
    } else {
      out.add('tls.protocol-outdated', where, range, `${what}: ${on} OpenSSL refuses ${lowest} at its default security level, so no TLS handshake of this profile ever completes.`, { severity: 'error', ...fixes });
    }
    return;
  }
  if (platform.legacyTls || seclevel0) {
    out.add('tls.protocol-outdated', where, range, `${what}: ${on} ${lowest}${spec.min === '1.0' || spec.min === 'SSLv3' ? ' and 1.1' : ''} can be negotiated — deprecated (RFC 8996), refused by carriers and browsers, and a downgrade risk. Use TLSv1.2+.`, fixes);
    return;
  }
  // Not a problem on this platform: TLS 1.2 and 1.3 are all that is negotiated.
  out.add('tls.protocol-outdated', where, range, `${what}, but ${on} OpenSSL negotiates TLS 1.2 and newer only: write TLSv1.2+ to say what the profile does.`, { severity: 'information', ...fixes });
}

/**
 * Where Kamailio hands cipher_list with a TLSv1.3/TLSv1.3+ method: to SSL_CTX_set_ciphersuites
 * (TLS 1.3 suite names) from 6.0.2 on, to SSL_CTX_set_cipher_list before (commit 6faf0470d0,
 * reference §0.1; Debian 13's 6.0.1 rejects "TLS_AES_256_GCM_SHA384" there, ORACLE-NOTES.md).
 * undefined: a 6.0 whose patch level is not known.
 */
function tls13ListGoesToCiphersuites(deployment: Deployment): boolean | undefined {
  return patchAtLeast(deployment.settings.kamailioVersion, '6.0.2');
}

function checkCiphers(deployment: Deployment, view: ProfileView, out: Reporter): void {
  const list = view.get('cipher_list');
  if (!list || list.value === '') return;
  const method = lookupMethod(effectiveMethod(view).value);
  const tls13 = method?.min === '1.3';
  const ciphersuites = tls13 ? tls13ListGoesToCiphersuites(deployment) : false;
  const verdict = judgeCipherList(list.value, ciphersuites === true);
  if (ciphersuites === undefined) {
    // Kamailio 6.0 of unknown patch level: 6.0.0/6.0.1 and 6.0.2+ read the list differently
    // (`verdict` is already the 6.0.0/6.0.1 reading).
    const old = verdict;
    const fresh = judgeCipherList(list.value, true);
    if (old.invalid && fresh.invalid) out.add('tls.cipher-invalid', list.file, list.range, `${view.logName}: ${fresh.invalid}.`);
    else if (old.invalid || fresh.invalid) {
      out.add(
        'tls.cipher-invalid',
        list.file,
        list.range,
        `${view.logName}: with ${method?.name ?? 'a TLS 1.3 method'}, Kamailio 6.0.0 and 6.0.1 hand cipher_list to SSL_CTX_set_cipher_list (TLS 1.2 names) and 6.0.2+ to SSL_CTX_set_ciphersuites (TLS 1.3 names): ${old.invalid ? 'this list fails on 6.0.0/6.0.1 ("Failure to set SSL context cipher list")' : 'on 6.0.2+ ' + fresh.invalid!}. Give the patch level (kamailioVersion "6.0.1", or the platform) for one verdict.`,
        { severity: 'warning' },
      );
    }
    if (old.invalid || fresh.invalid) return;
  } else if (verdict.invalid) {
    out.add('tls.cipher-invalid', list.file, list.range, `${view.logName}: ${verdict.invalid}.`);
    return;
  }
  if (verdict.weak.length > 0) {
    const replacement = view.source === 'modparam' ? JSON.stringify(MODERN_CIPHER_LIST) : MODERN_CIPHER_LIST;
    out.add('tls.cipher-weak', list.file, list.range, `cipher_list enables ${verdict.weak.join(', ')}: peers may negotiate a suite that offers no real protection.`, {
      fixes: [fix(`Replace with ${MODERN_CIPHER_LIST}`, [edit(list.file, list.range, replacement)])],
    });
  }
  if (method?.min !== '1.3') checkRemainingSuites(deployment, view, list, out);
}

function isOn(view: ProfileView, name: string): boolean {
  const s = view.get(name);
  return s ? parseTlsBoolean(s.value) === true : false;
}

/** tls_domain.c set_verification (reference §1.6). */
function checkVerification(view: ProfileView, module: string, out: Reporter): void {
  const verifyClient = view.get('verify_client')?.value.toLowerCase();
  const verify = isOn(view, 'verify_certificate');
  const require = isOn(view, 'require_certificate');
  let verifies: boolean;
  if (view.role === 'client') {
    // A server always presents a certificate: either flag means "must verify" (issue #551).
    verifies = verify || require;
    if (!verifies) {
      if (view.source !== 'tls.cfg') return;
      const f = view.get('verify_certificate')
        ? fix('Set verify_certificate = yes', [edit(view.file, view.get('verify_certificate')!.range, 'yes')], true)
        : fix('Insert verify_certificate = yes', [edit(view.file, lineStart(view.anchor.start.line + 1), 'verify_certificate = yes\n')], true);
      out.add(
        'tls.verify-off',
        view.file,
        view.get('verify_certificate')?.range ?? view.anchor,
        `${view.label} does not verify the server certificate: outgoing TLS connections accept any certificate, so a man in the middle goes unnoticed. Set verify_certificate = yes with a ca_list.`,
        { fixes: [f] },
      );
      return;
    }
  } else {
    // In modparam mode both default profiles share these settings: the client one reports.
    if (view.source === 'modparam') return;
    if (verifyClient === 'optional_no_ca') return; // a callback accepts every certificate
    verifies = verify || require || verifyClient === 'on' || verifyClient === 'optional';
  }
  if (!verifies) return;
  const caList = view.get('ca_list');
  const caPath = view.source === 'tls.cfg' ? view.get('ca_path') : undefined;
  if ((caList && caList.value !== '') || (caPath && caPath.value !== '')) return;
  const what = view.role === 'client' ? 'the certificate of every server it connects to' : 'every client certificate';
  const trigger = view.get('require_certificate') ?? view.get('verify_certificate') ?? view.get('verify_client');
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  out.add(
    'tls.verify-no-ca',
    trigger?.file ?? view.file,
    trigger?.keyRange ?? view.anchor,
    `${view.label} verifies ${what} but has no ca_list${view.source === 'tls.cfg' ? ' or ca_path' : ''}: with nothing to verify against, every such check fails${view.role === 'client' ? ' and no outgoing TLS connection succeeds' : ''}.`,
    {
      fixes: [
        view.source === 'tls.cfg'
          ? fix(`Insert ca_list = ${bundle} (the system CA bundle)`, [edit(view.file, lineStart(view.anchor.start.line + 1), `ca_list = ${bundle}\n`)], true)
          : fix(`Insert modparam("${module}", "ca_list", "${bundle}")`, [edit(view.file, lineStart(view.anchor.end.line + 1), `modparam("${module}", "ca_list", "${bundle}")\n`)], true),
      ],
    },
  );
}

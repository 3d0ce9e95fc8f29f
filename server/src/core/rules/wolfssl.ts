// tls_wolfssl, the wolfSSL TLS engine (src/modules/tls_wolfssl, since 5.6): it reads the same
// tls.cfg and modparams as tls, with differences a check must know. From the source — no
// wolfSSL build of Kamailio runs here (Debian packages none):
// - tls_domain.c ksr_tls_fix_domain creates every context with wolfSSLv23_method() and
//   wolfSSL_CTX_set_min_proto_version(TLS1_2_VERSION): `method` never takes effect;
// - set_cipher_list is never called ("// if (set_cipher_list(d) < 0) return -1;"): `cipher_list`
//   never takes effect;
// - both modules declare the cfg group "tls" in mod_init (cfg_declare), and core/cfg/cfg.c
//   refuses a second declaration ("configuration group has been already declared"): loading
//   both with TLS on stops Kamailio; doc/tls_wolfssl.xml calls them mutually exclusive;
// - with 6.1, `crl` names a folder of CRL files ending in .pem (kamailio/kamailio#4695).
import type { Deployment } from '../deployment';
import type { LoadModuleStatement } from '../kamailio/model';
import { isTlsEngine, type TlsEngine } from '../kamailio/modules';
import { profileViews, tlsLoadStatement, type ProfileSetting } from '../profiles';
import { versionAtLeast } from '../version';
import { Reporter } from './report';

/** The engine the configuration runs (a tls.cfg checked on its own: tls). */
export function tlsEngineOf(deployment: Deployment): TlsEngine {
  const load = tlsLoadStatement(deployment);
  return load && load.module === 'tls_wolfssl' ? 'tls_wolfssl' : 'tls';
}

/** With tls_wolfssl from 6.1, `crl` names a folder (of .pem files), not a file. */
export function crlIsDirectory(deployment: Deployment): boolean {
  return tlsEngineOf(deployment) === 'tls_wolfssl' && versionAtLeast(deployment.settings.kamailioVersion, '6.1');
}

export function checkWolfssl(deployment: Deployment, out: Reporter): void {
  if (deployment.tlsIntent !== 'on' || !deployment.kamailio) return;
  checkEngineConflict(deployment, out);
  if (tlsEngineOf(deployment) !== 'tls_wolfssl') return;
  checkIgnoredSettings(deployment, out);
  checkCrlFolder(deployment, out);
}

function checkEngineConflict(deployment: Deployment, out: Reporter): void {
  const engines: LoadModuleStatement[] = deployment.kamailio!.modules.filter((m) => isTlsEngine(m.module));
  const first = engines[0];
  const other = engines.find((m) => m.module !== first?.module);
  if (!first || !other) return;
  out.add(
    'kamcfg.tls-engine-conflict',
    other.file,
    other.pathRange,
    `${first.module}.so and ${other.module}.so are both loaded, but they are mutually exclusive TLS engines: both declare the configuration group "tls" when TLS is on, the second declaration fails ("configuration group has been already declared: tls", then "failed to register the configuration") and Kamailio exits. Load one of them.`,
    { related: [{ file: first.file, range: first.range, message: `${first.module}.so is loaded here` }] },
  );
}

const IGNORED: Record<string, string> = {
  method: 'tls_wolfssl creates every profile with wolfSSL\'s generic method and a minimum of TLS 1.2, so method has no effect: TLS 1.2 and newer are negotiated whatever it says',
  cipher_list: 'tls_wolfssl never applies cipher_list (its tls_domain.c does not call set_cipher_list): wolfSSL\'s default suites are used whatever it says',
};

/** One information per option and file: every profile repeats method, the reason is one. */
function checkIgnoredSettings(deployment: Deployment, out: Reporter): void {
  const seen = new Map<string, ProfileSetting[]>();
  for (const view of profileViews(deployment)) {
    if (view.source === 'modparam' && view.role === 'client') continue; // the same modparams
    for (const name of Object.keys(IGNORED)) {
      const s = view.get(name);
      if (!s) continue;
      const key = `${s.file}\n${name}`;
      seen.set(key, [...(seen.get(key) ?? []), s]);
    }
  }
  for (const [key, settings] of seen) {
    const name = key.slice(key.indexOf('\n') + 1);
    const [first, ...more] = settings;
    const also = more.length > 0 ? ` (the same for the ${more.length} other ${name} line${more.length === 1 ? '' : 's'} of this file)` : '';
    out.add('tls.engine-ignores', first!.file, first!.range, `${IGNORED[name]}${also}.`, {
      related: more.map((s) => ({ file: s.file, range: s.range, message: `${name} has no effect with tls_wolfssl` })),
    });
  }
}

function checkCrlFolder(deployment: Deployment, out: Reporter): void {
  if (!crlIsDirectory(deployment)) return;
  for (const view of profileViews(deployment)) {
    if (view.source === 'modparam' && view.role === 'client') continue;
    const crl = view.get('crl');
    if (!crl || crl.value === '') continue;
    const path = deployment.resolve(crl.value);
    const st = deployment.probe.stat(path.local);
    if ('error' in st || st.kind !== 'file') continue; // missing: the path rules; a folder: fine
    out.add(
      'tls.wolfssl-crl-file',
      crl.file,
      crl.range,
      `${view.logName}: with tls_wolfssl, crl names a folder of CRL files whose names end in .pem, not a file: ${path.deployed} is a file, and Kamailio ${deployment.settings.kamailioVersion.major}.${deployment.settings.kamailioVersion.minor} with tls_wolfssl fails to start with it (kamailio/kamailio#4695). Put the CRL in a folder as <name>.pem and point crl at the folder.`,
    );
  }
}

// Advisories that hold for some Kamailio versions and platforms only (reference §0, §0.1):
// `kamcfg.tls-threads-mode` (OpenSSL 3 in shared memory, 5.7.5–5.8 default 0; 6.x forces 1 to 2),
// `kamcfg.tls-keylog` (6.1 writes TLS secrets out) and `kamcfg.modparam-not-reloaded` (tls.reload
// needs a tls.cfg). Each is gated exactly by settings.kamailioVersion and settings.platform.
import type { Deployment } from '../deployment';
import type { CoreParamStatement, ModParamStatement } from '../kamailio/model';
import { kamailioName, patchAtLeast, versionAtLeast } from '../version';
import { lastTlsConfigModparam } from '../kamailio/tlsConfigParam';
import { isTlsModule } from '../kamailio/modules';
import { Reporter, edit, fix, lineStart } from './report';
import { tlsModuleLoad } from './tlsState';

export function checkVersionAdvisories(deployment: Deployment, out: Reporter): void {
  if (deployment.tlsIntent !== 'on' || !deployment.kamailio) return;
  checkTlsThreadsMode(deployment, out);
  checkKeylog(deployment, out);
  checkReloadableCertificate(deployment, out);
}

const CRASHES = 'kamailio/kamailio#3635, #3791, #3885, #4055, #4778';

/** The value Kamailio's parser gives tls_threads_mode (a number, or yes/no as 1/0). */
function threadsModeValue(p: CoreParamStatement): number | undefined {
  if (p.value.kind === 'number') return Number(p.value.text);
  if (p.value.kind === 'bool') return p.value.text === 'yes' ? 1 : 0;
  return undefined;
}

/**
 * Core tls_threads_mode (src/core/rthreads.h, tls_mod.c; doc/tutorials "OpenSSL 3 Developer
 * Notes"): OpenSSL ≥ 1.1.1 keeps thread-local state that Kamailio's rank 0 initialises in shared
 * memory, so every worker reuses it — with OpenSSL 3 a shared-memory corruption that the crash
 * reports show as "freeing already freed pointer … tls_init.c: ser_free". Mode 1 runs OpenSSL's
 * initialisation in a temporary thread, mode 2 also resets the thread-locals at fork; the
 * maintainers recommend 2 (#4055), the default since 6.0, where 1 is forced to 2.
 */
function checkTlsThreadsMode(deployment: Deployment, out: Reporter): void {
  const { kamailioVersion: version, platform } = deployment.settings;
  if (!versionAtLeast(version, '5.7')) return; // no such parameter (kamcfg.version-gated)
  const load = tlsModuleLoad(deployment);
  if (!load || load.module !== 'tls') return; // a setting for OpenSSL; tls_wolfssl does without
  const setting = [...deployment.kamailio!.coreParams].reverse().find((p) => p.name === 'tls_threads_mode');
  const value = setting ? threadsModeValue(setting) : 0;
  if (value === undefined || value === 2) return;
  const setTo2 = setting
    ? fix('Set tls_threads_mode=2', [edit(setting.file, setting.value.range, '2')], true)
    : fix('Insert tls_threads_mode=2 before loadmodule "tls.so"', [edit(load.file, lineStart(load.range.start.line), 'tls_threads_mode=2\n')], true);
  if (versionAtLeast(version, '6.0')) {
    if (!setting) return; // 2 by default
    const what =
      value === 1
        ? `tls_threads_mode=1 has no effect of its own on ${kamailioName(version)}: the tls module forces it to 2 and logs "tls_threads_mode=1 is invalid on kamailio version >= 6; forcing tls_threads_mode=2".`
        : `tls_threads_mode=${value} switches off what ${kamailioName(version)} does by default (2: OpenSSL's thread-local state is reset in every process): with OpenSSL 3 that is the set-up of the shared-memory crashes reported in ${CRASHES}.`;
    out.add('kamcfg.tls-threads-mode', setting.file, setting.value.range, `${what} Write 2 (or remove the line).`, { severity: 'information', fixes: [setTo2] });
    return;
  }
  if (!platform.openssl.startsWith('3')) return;
  // A known patch level below the backport: 5.7.0–5.7.4 (Ubuntu 24.04 packages 5.7.4).
  const before575 = version.major === 5 && version.minor === 7 && patchAtLeast(version, '5.7.5') === false;
  if (before575) {
    // 5.7.0–5.7.4 have no tls_threads_mode; writing it is kamcfg.version-gated.
    if (setting) return;
    out.add(
      'kamcfg.tls-threads-mode',
      load.file,
      load.pathRange,
      `${kamailioName(version)} has no tls_threads_mode: the fix for the OpenSSL 3 shared-memory crashes reported in ${CRASHES} came with 5.7.5 (tls_threads_mode=2). Upgrade to 5.7.5 or later to set it.`,
      { severity: 'information' },
    );
    return;
  }
  const since = version.major === 5 && version.minor === 7 ? ' (5.7 has it from 5.7.5)' : '';
  const now = setting ? `tls_threads_mode=${value}` : `tls_threads_mode is not set, so ${kamailioName(version)} runs with 0`;
  const mode =
    value === 1
      ? ': mode 1 only runs OpenSSL\'s initialisation in a temporary thread, which does not cover libraries that initialise OpenSSL in the main thread'
      : ': with OpenSSL 3, the processes then share the thread-local state OpenSSL keeps in shared memory';
  out.add(
    'kamcfg.tls-threads-mode',
    setting?.file ?? load.file,
    setting?.value.range ?? load.pathRange,
    `${now}${mode} — the cause of the crashes reported in ${CRASHES} ("freeing already freed pointer … called from tls: tls_init.c: ser_free"). The maintainers recommend tls_threads_mode=2${since}, the default from 6.0, set before loadmodule "tls.so".`,
    { fixes: [setTo2] },
  );
}

/** keylog_mode bits (tls module docs, 6.1): 1 initialise, 2 active, 4 NOTICE log, 8 keylog_file. */
function checkKeylog(deployment: Deployment, out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  if (!versionAtLeast(version, '6.1')) return; // not a parameter before 6.1 (kamcfg.unknown-modparam)
  if (tlsModuleLoad(deployment)?.module !== 'tls') return; // tls_wolfssl has no key logging
  const modparams = deployment.kamailio!.modparams.filter((m) => isTlsModule(m.module));
  const last = (name: string): ModParamStatement | undefined => [...modparams].reverse().find((m) => m.param === name);
  const mode = last('keylog_mode');
  if (!mode || mode.value.kind !== 'number' || Number(mode.value.text) === 0) return;
  const bits = Number(mode.value.text);
  const file = last('keylog_file');
  const peer = last('keylog_peer');
  const where: string[] = [];
  if (bits & 4) where.push('to the log (NOTICE level)');
  if (bits & 8) where.push(file ? `to ${file.value.text}` : 'to keylog_file');
  if (peer) where.push(`over UDP to ${peer.value.text} (keylog_peer)`);
  const outputs = where.length > 0 ? ` and writes them ${where.join(', ')}` : '';
  out.add(
    'kamcfg.tls-keylog',
    mode.file,
    mode.value.range,
    `keylog_mode ${bits} turns on TLS key logging: ${kamailioName(version)} exports the session secrets of every TLS connection (NSS key log lines)${outputs} — whoever reads them decrypts the recorded SIP traffic, SDES SRTP keys included. Meant for debugging with Wireshark: set 0 in production.`,
    { fixes: [fix('Turn key logging off (keylog_mode 0)', [edit(mode.file, mode.value.range, '0')])] },
  );
}

/** Modules that accept RPC commands from outside (kamcmd, kamcli, HTTP). */
const RPC_TRANSPORTS = new Set(['ctl', 'jsonrpcs', 'xmlrpc', 'xhttp_rpc']);

/**
 * tls_rpc.c tls_reload: without modparam "config" it answers 500 "No TLS configuration file
 * configured" (measured on 5.6.3 with kamcmd): certificates set by modparam are read at start-up
 * only. Said where someone would reload — an RPC transport is loaded, or the certificate is
 * certbot's, renewed every 60 days — as information on the certificate modparam.
 */
function checkReloadableCertificate(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio!;
  if (lastTlsConfigModparam(cfg.modparams) || !tlsModuleLoad(deployment)) return;
  const certificate = [...cfg.modparams].reverse().find((m) => isTlsModule(m.module) && m.param === 'certificate' && m.value.kind === 'string');
  if (!certificate) return;
  const rpc = cfg.modules.find((m) => RPC_TRANSPORTS.has(m.module));
  const renewed = /^\/etc\/letsencrypt\/(live|archive)\//.test(certificate.value.text);
  if (!rpc && !renewed) return;
  const why = rpc ? `${rpc.module}.so is loaded, but` : `${certificate.value.text} is renewed by certbot, and`;
  out.add(
    'kamcfg.modparam-not-reloaded',
    certificate.file,
    certificate.paramRange,
    `${why} tls.reload reloads only a tls.cfg: without modparam("tls", "config", …) it answers 500 "No TLS configuration file configured", so a renewed certificate set here takes effect only when Kamailio restarts. Move the profile to a tls.cfg to reload it with kamcmd tls.reload.`,
    rpc ? { related: [{ file: rpc.file, range: rpc.range, message: `${rpc.module}.so accepts RPC commands` }] } : {},
  );
}

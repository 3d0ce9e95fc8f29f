// Files a repository names but cannot hold, judged by the well-known layouts they come from:
// certbot's /etc/letsencrypt/live/<name>/ (cert.pem = the leaf alone, chain.pem = the
// intermediates, fullchain.pem = both, privkey.pem = the key) and Debian's snakeoil pair. The
// mistakes are certain without the files: chain.pem as the certificate, the key file as the
// certificate or a certificate file as the key make Kamailio refuse to start, and cert.pem
// without a CA list holding the chain sends peers no intermediate (verified on 5.6.3: with
// `ca_list` = chain.pem or fullchain.pem OpenSSL completes the chain from it; without, peers see
// the leaf alone and report "unable to verify the first certificate").
// Only where the files are not read here (outside the repository, or absent from it): files the
// check reads are judged by what they hold.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import { profileViews, type ProfileSetting, type ProfileView } from '../profiles';
import { Reporter, edit, fix } from './report';
import { formatValue } from './certContext';

const CERTBOT_FILES = new Set(['cert.pem', 'chain.pem', 'fullchain.pem', 'privkey.pem']);
const CERTBOT_LIVE = /^\/etc\/letsencrypt\/live\/[^/]+\/[^/]+$/;
const SNAKEOIL_CERT = '/etc/ssl/certs/ssl-cert-snakeoil.pem';

export function checkDeployLayouts(deployment: Deployment, out: Reporter): void {
  if (!deployment.settings.scope) return; // on the live server the files themselves are judged
  for (const view of profileViews(deployment)) {
    if (view.source === 'modparam' && view.role === 'client') continue; // shares the server's files
    const cert = unread(deployment, view, 'certificate');
    const key = unread(deployment, view, 'private_key');
    if (cert && cert.path.deployed === SNAKEOIL_CERT) {
      out.add(
        'cert.self-signed',
        cert.setting.file,
        cert.setting.range,
        `${view.logName} certificate: ${SNAKEOIL_CERT} is Debian's snakeoil certificate (package ssl-cert), self-signed for the host's own name: carriers and phones reject it unless they preload it.`,
      );
    }
    if (!isCertbotLayout(cert, key)) continue;
    const name = (r: Unread | undefined): string | undefined => (r ? posix.basename(r.path.deployed) : undefined);
    const use = (r: Unread, file: string): ReturnType<typeof fix> => fix(`Use ${posix.join(posix.dirname(r.setting.value), file)}`, [edit(r.setting.file, r.setting.range, formatValue(r.setting, posix.join(posix.dirname(r.setting.value), file)))], true);
    if (cert && name(cert) === 'privkey.pem') {
      out.add('cert.unreadable', cert.setting.file, cert.setting.range, `${view.logName} certificate: certbot's privkey.pem holds the private key, no certificate: Kamailio will refuse to start ("${view.logName}: Unable to load certificate file '${cert.path.deployed}'"). The certificate with its chain is fullchain.pem.`, {
        fixes: [use(cert, 'fullchain.pem')],
      });
    } else if (cert && name(cert) === 'chain.pem') {
      out.add(
        'key.mismatch',
        cert.setting.file,
        cert.setting.range,
        `${view.logName} certificate: certbot's chain.pem holds only the intermediate certificates, so Kamailio takes the intermediate as its own certificate, the private key does not belong to it, and it refuses to start (key values mismatch). The certificate with its chain is fullchain.pem.`,
        { fixes: [use(cert, 'fullchain.pem')] },
      );
    } else if (cert && name(cert) === 'cert.pem' && !mayCompleteChain(view)) {
      out.add(
        'chain.incomplete',
        cert.setting.file,
        cert.setting.range,
        `${view.logName} certificate: certbot's cert.pem holds the leaf certificate alone: Kamailio sends no intermediate and peers that do not have it report Unknown CA ("unable to verify the first certificate"). Use fullchain.pem (leaf + intermediates).`,
        { fixes: [use(cert, 'fullchain.pem')] },
      );
    }
    if (key && name(key) !== undefined && name(key) !== 'privkey.pem' && CERTBOT_FILES.has(name(key)!)) {
      out.add('key.unreadable', key.setting.file, key.setting.range, `${view.logName} private_key: certbot's ${name(key)} holds certificates, no private key: Kamailio will refuse to start ("${view.logName}: Unable to load private key file '${key.path.deployed}'"). The key is privkey.pem.`, {
        fixes: [use(key, 'privkey.pem')],
      });
    }
  }
}

interface Unread {
  setting: ProfileSetting;
  path: ResolvedPath;
}

/** The option's file when this check does not read it (outside the repository, or absent). */
function unread(deployment: Deployment, view: ProfileView, option: string): Unread | undefined {
  const setting = view.get(option);
  if (!setting || setting.value === '') return undefined;
  const path = deployment.resolve(setting.value);
  if (path.notAFile) return undefined;
  const st = deployment.probe.stat(path.local);
  if (!('error' in st) || (st.error !== 'outside-scope' && st.error !== 'not-found')) return undefined;
  return { setting, path };
}

/** certbot's live folder, or its file names for both the certificate and the key of one folder. */
function isCertbotLayout(cert: Unread | undefined, key: Unread | undefined): boolean {
  const files = [cert, key].filter((x): x is Unread => x !== undefined);
  if (files.length === 0) return false;
  if (files.some((f) => CERTBOT_LIVE.test(f.path.deployed))) return true;
  if (cert === undefined || key === undefined || posix.dirname(cert.path.deployed) !== posix.dirname(key.path.deployed)) return false;
  // Kamailio's own cert.pem holding certificate and key is not certbot's: the two names must differ.
  const names = files.map((f) => posix.basename(f.path.deployed));
  return names.every((n) => CERTBOT_FILES.has(n)) && names[0] !== names[1];
}

/**
 * Whether the profile may complete the chain: OpenSSL sends the intermediates it finds in the
 * profile's ca_list/ca_path (auto-chain). certbot's chain.pem or fullchain.pem do; another CA
 * file that is not read here may too, so only a profile without any says something certain.
 */
function mayCompleteChain(view: ProfileView): boolean {
  const ca = view.get('ca_list');
  const caPath = view.get('ca_path');
  return (ca !== undefined && ca.value !== '') || (caPath !== undefined && caPath.value !== '');
}


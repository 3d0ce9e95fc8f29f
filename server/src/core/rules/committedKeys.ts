// `key.committed`: a private key the configuration loads is tracked by git in the repository
// being checked. Everyone who can read the repository (every clone, fork, CI log of a checkout,
// every backup of it) holds the server's key and can impersonate it; deleting the file in a new
// commit does not take it back out of the history. Only a repository check asks (the live server
// keeps its keys where they belong), and only what git really tracks counts: an untracked or
// .gitignored key in the checkout is how keys should be provided. Whether git tracks a file comes
// from the host (Host.trackedFiles), which runs git only where programs may run.
import * as posix from 'node:path/posix';
import type { PkiFile } from '../pki/bundle';
import type { Reporter } from './report';
import { type CertProfile, type CertSlot, type FileRef, type PkiRun } from './certContext';

export function checkCommittedKeys(run: PkiRun, out: Reporter): void {
  const scope = run.deployment.settings.scope;
  if (!scope) return;
  const tracked = run.deployment.probe.trackedFiles(scope.root);
  if (!tracked || tracked.size === 0) return;
  for (const profile of run.profiles) {
    // The modparam-mode client profile loads the server's files: said once, for the server.
    if (profile.sharesServerFiles) continue;
    for (const slot of profile.slots) {
      for (const ref of keyHolders(slot)) {
        if (!tracked.has(ref.path.local)) continue;
        const loaded = run.load(ref, 'certificate');
        if (!loaded.ok) continue;
        const exposed = exposedKey(loaded.file, slot);
        if (!exposed) continue;
        out.add('key.committed', ref.file, ref.range, message(profile, ref, posix.relative(scope.root, ref.path.local), exposed === 'encrypted'));
      }
    }
  }
}

/**
 * The files of a slot that may hold its private key: private_key (explicit or the built-in
 * cert.pem), and a certificate file that is not the same file (a combined cert+key PEM).
 */
function keyHolders(slot: CertSlot): FileRef[] {
  const key = slot.privateKey;
  const cert = slot.certificate;
  if (key && cert && key.path.local === cert.path.local) return [key];
  return [key, cert].filter((r): r is FileRef => r !== undefined);
}

/**
 * Whether the file hands a reader a usable private key: an unencrypted one (PEM or DER), or an
 * encrypted one whose password the configuration itself holds. An encrypted key whose pass phrase
 * is typed or provided elsewhere is not claimed to impersonate anyone.
 */
function exposedKey(file: PkiFile, slot: CertSlot): 'plain' | 'encrypted' | undefined {
  if (file.derKey && !file.derKey.encrypted) return 'plain';
  const first = file.keys[0];
  if (!first) return undefined;
  if (first.key.encrypted) return slot.password !== undefined ? 'encrypted' : undefined;
  return first.parseError === undefined ? 'plain' : undefined;
}

function message(profile: CertProfile, ref: FileRef, relative: string, encrypted: boolean): string {
  const who = profile.view.role === 'server' ? 'the server' : 'this Kamailio when it connects to its peers';
  const what = ref.option === 'certificate' || ref.option === 'certificate2' ? `certificate ${relative} holds a private key and` : `private key ${relative}`;
  const password = encrypted ? ' (encrypted, with its password in the configuration)' : '';
  return `${profile.view.label}: ${what}${password} is committed to the repository: anyone with read access to the repository can impersonate ${who}; remove it from git history, rotate the key, and provide it at deploy time (see path.deploy-time / .sip-tls.json mappings).`;
}

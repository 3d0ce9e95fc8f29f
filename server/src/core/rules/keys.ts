// Keys — `key.*`: the private key a profile loads (its `private_key`, `private_key2`, or the
// built-in cert.pem), read as SSL_CTX_use_PrivateKey_file reads it (PEM only, the first private
// key of the file, other blocks skipped — so a key and its certificate may share a file in either
// order), decrypted as Kamailio can (private_key_password since 6.0; before that a terminal
// prompt, which a service does not have), and matched against the first certificate of
// `certificate` as SSL_CTX_check_private_key does ("key values mismatch"; reference §5, §6).
import { DEFAULT_MAX_FILE_BYTES } from '../host';
import * as posix from 'node:path/posix';
import type { FixData } from '../types';
import type { PublicKeyInfo, CertificateModel } from '../pki/certificate';
import { describeBrokenEntry, describeContents, type PkiFile } from '../pki/bundle';
import { unlockKey, type PrivateKeyEntry } from '../pki/key';
import { decryptionCost, describeEncryption, formatCount } from '../pki/keyEncryption';
import { KDF_WORK_PER_CHECK, KDF_WORK_PER_FIX_SEARCH } from '../pki/cryptoBudgets';
import { versionAtLeast, kamailioName } from '../version';
import { isTlsModule } from '../kamailio/modules';
import { Reporter, fix } from './report';
import { PkiRun, pointOptionAt, quoteName, subject, type CertProfile, type CertSlot, type FileRef } from './certContext';

export interface KeyJudgement {
  ref?: FileRef;
  /** The public half of the key Kamailio loads, when it can be known. */
  publicKey?: PublicKeyInfo;
  spkiSha256?: string;
}

/** Kamailio's log lines for a key it cannot load (tls_domain.c load_private_key). */
function keyLoadError(profile: CertProfile, ref: FileRef): string {
  return ref.option === 'private_key2'
    ? `${profile.view.logName}: Unable to load private key2 file '${ref.path.deployed}'`
    : `${profile.view.logName}: Unable to load private key '${ref.path.deployed}'`;
}

/** key_password_mode = 1 (6.0+): Kamailio prompts for the passphrase at start-up. */
function promptsForPassword(run: PkiRun): boolean {
  const cfg = run.deployment.kamailio;
  if (!cfg) return false;
  let mode: string | undefined;
  for (const m of cfg.modparams) if (isTlsModule(m.module) && m.param === 'key_password_mode') mode = m.value.text.trim();
  return mode === '1' && versionAtLeast(run.deployment.settings.kamailioVersion, '6.0');
}

function modparamPasswordIgnored(run: PkiRun, profile: CertProfile): boolean {
  if (profile.view.source !== 'modparam') return false;
  return (run.deployment.kamailio?.modparams ?? []).some((m) => isTlsModule(m.module) && m.param === 'private_key_password');
}

export function judgeKey(run: PkiRun, profile: CertProfile, slot: CertSlot, out: Reporter): KeyJudgement {
  const ref = slot.privateKey;
  if (!ref) return {};
  const loaded = run.load(ref, 'certificate');
  if (!loaded.ok) {
    // Beyond the size any file is read at all, path.unreadable already says it: one finding, not two.
    if (loaded.reason === 'too-large' && loaded.size <= DEFAULT_MAX_FILE_BYTES) {
      out.add('key.unreadable', ref.file, ref.range, `${subject(profile, ref)} is ${loaded.size} bytes: a key file is a few KB, and files over ${loaded.limit / 1024 / 1024} MiB are not examined. Check that the option names the key file.`, { severity: 'warning' });
    }
    return { ref };
  }
  const file = loaded.file;
  const reason = whyNoKey(file, ref);
  if (reason) {
    out.add('key.unreadable', ref.file, ref.range, `${subject(profile, ref)} ${reason}: Kamailio will refuse to start ("${keyLoadError(profile, ref)}").`);
    return { ref };
  }
  const entry = file.keys[0]!;
  const key = entry.key;
  if (!key.encrypted) return key.publicKey ? { ref, publicKey: key.publicKey, spkiSha256: key.publicKey.spkiSha256 } : { ref };

  const what = `the private key at line ${entry.startLine + 1} is encrypted (${key.container === 'encrypted-pkcs8' ? 'PKCS#8' : `${key.cipher ?? 'legacy PEM'}`})`;
  const decrypt = `Decrypt it (openssl pkey -in ${posix.basename(ref.path.deployed)} -out <new file>, mode 0600, readable by the kamailio user)`;
  const version = run.deployment.settings.kamailioVersion;
  if (!versionAtLeast(version, '6.0')) {
    out.add(
      'key.encrypted',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${what}; ${kamailioName(version)} has no private_key_password (it needs 6.0) and asks for the pass phrase on a terminal at start-up, so it cannot start unattended (under systemd it exits: "${keyLoadError(profile, ref)}"). ${decrypt}.`,
    );
    return { ref };
  }
  if (promptsForPassword(run)) return { ref }; // the passphrase is typed at start-up: nothing to check
  const password = slot.password;
  if (!password) {
    const ignored = modparamPasswordIgnored(run, profile) ? ' (the private_key_password modparam is not applied to the profiles built from modparams: set it in a tls.cfg)' : '';
    out.add(
      'key.encrypted',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${what} and the profile has no ${slot.index === 2 ? 'private_key_password2' : 'private_key_password'}${ignored}: Kamailio cannot decrypt it unattended and will refuse to start ("${keyLoadError(profile, ref)}"). Add the password option, or ${decrypt.charAt(0).toLowerCase()}${decrypt.slice(1)}.`,
    );
    return { ref };
  }
  if (overDecryptionBudget(run, profile, ref, key, what, password.value, out)) return { ref };
  const unlocked = unlockKey(key, password.value);
  if (!unlocked.ok && 'reason' in unlocked) {
    out.add(
      'key.encrypted',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${what} and ${slot.index === 2 ? 'private_key_password2' : 'private_key_password'} does not decrypt it (${unlocked.reason}): Kamailio will refuse to start ("${keyLoadError(profile, ref)}").`,
      { related: [{ file: password.file, range: password.keyRange, message: 'The password that does not decrypt the key' }] },
    );
    return { ref };
  }
  if (!unlocked.ok) return { ref }; // over the budget: said above
  return { ref, publicKey: unlocked.publicKey, spkiSha256: unlocked.publicKey.spkiSha256 };
}

/**
 * The key derivation the key asks for is over a budget (cryptoBudgets.ts): say so instead of
 * doing it. Over the budget per key it is the file's own cost, which Kamailio pays too — OpenSSL
 * has no limit, and Kamailio loads the key once for every process before it answers TLS
 * (tls_domain.c load_private_key; measured on 6.0.1, ORACLE-NOTES "Key derivation cost"); over
 * the budget of the check it is only sip-tls that stops.
 */
function overDecryptionBudget(run: PkiRun, profile: CertProfile, ref: FileRef, key: PrivateKeyEntry, what: string, password: string, out: Reporter): boolean {
  const notChecked = 'it is not decrypted, so whether it belongs to the certificate is not checked';
  const encryption = key.encryption ?? { scheme: 'unreadable' as const, reason: 'no header' };
  const how = `${what} with ${describeEncryption(encryption)}`;
  const cost = decryptionCost(encryption);
  if (!cost.ok) {
    switch (cost.kind) {
      case 'unknown':
        out.add('key.decryption-cost', ref.file, ref.range, `${subject(profile, ref)}: ${what}, and ${cost.what}: ${notChecked}.`, { severity: 'information' });
        break;
      case 'openssl-refuses':
        // EVP_PBE_scrypt_ex refuses before deriving anything (ORACLE-NOTES "Key derivation cost").
        out.add('key.encrypted', ref.file, ref.range, `${subject(profile, ref)}: ${how}: ${cost.what}, so OpenSSL cannot decrypt it ("memory limit exceeded") and Kamailio will refuse to start ("${keyLoadError(profile, ref)}"). Re-encrypt it with smaller scrypt parameters (openssl pkcs8 -topk8 -scrypt) or PBKDF2.`);
        break;
      case 'over-budget':
        out.add(
          'key.decryption-cost',
          ref.file,
          ref.range,
          cost.kamailioRuns
            ? `${subject(profile, ref)}: ${how}, ${cost.what}: ${notChecked}. OpenSSL has no such limit: Kamailio runs all of it whenever it loads the key, once for each of its processes before it answers TLS, so every start waits that long. Re-encrypt it with the defaults (openssl pkcs8 -topk8 -v2 aes-256-cbc) or decrypt it.`
            : `${subject(profile, ref)}: ${how}, ${cost.what}: ${notChecked}.`,
          cost.kamailioRuns ? {} : { severity: 'information' },
        );
        break;
    }
    return true;
  }
  const allowance = run.decryptionAllowed(ref, password);
  if (allowance.allowed) return false;
  out.add(
    'key.decryption-cost',
    ref.file,
    ref.range,
    `${subject(profile, ref)}: ${how}; this check already spent ${formatCount(allowance.spentBefore)} of its ${formatCount(KDF_WORK_PER_CHECK)} key derivation iterations on other keys: ${notChecked}. Kamailio decrypts it as usual.`,
    { severity: 'information' },
  );
  return true;
}

/** Why OpenSSL finds no usable private key in the file, if it does not. */
function whyNoKey(file: PkiFile, ref: FileRef): string | undefined {
  const name = posix.basename(ref.path.deployed);
  if (file.format === 'der') {
    if (file.derContent === 'private-key') return `is a DER (binary) private key, and Kamailio reads PEM only (convert it: openssl pkey -inform der -in ${name} -out ${name.replace(/\.[^.]*$/, '')}.pem)`;
    if (file.derContent === 'pkcs12') return `is a PKCS#12 (.p12/.pfx) bundle, and Kamailio reads PEM only (extract the key: openssl pkcs12 -in ${name} -nocerts -nodes -out key.pem)`;
    return `holds ${describeContents(file)}, no PEM private key`;
  }
  const first = file.keys[0];
  const brokenBefore = file.broken.find((e) => e.framing && (!first || e.index < first.index));
  if (brokenBefore) return `is damaged: ${describeBrokenEntry(brokenBefore)}, and OpenSSL stops reading there`;
  if (!first) {
    let hint = '';
    if (file.entries.some((e) => e.kind === 'openssh-key')) hint = ` (an OpenSSH key: convert it with ssh-keygen -p -m PKCS8 -f ${name})`;
    else if (file.entries.some((e) => e.kind === 'public-key')) hint = ' (the public half only: private_key must name the private key)';
    else if (file.certificateBlocks > 0) hint = ref.implicit ? ': without a private_key option Kamailio reads the key from cert.pem — add private_key = <your key file>' : ' (a certificate file given as private_key?)';
    return `holds ${describeContents(file)}, no private key${hint}`;
  }
  if (first.parseError && !first.key.encrypted) return `is damaged: ${describeBrokenEntry(first)}`;
  return undefined;
}

/**
 * The key does not belong to the first certificate: SSL_CTX_check_private_key fails and
 * Kamailio exits. Offers a key beside the certificate (or the key file) that does match.
 */
export function reportKeyMismatch(
  run: PkiRun,
  profile: CertProfile,
  slot: CertSlot,
  keyRef: FileRef,
  keyInfo: PublicKeyInfo,
  first: CertificateModel,
  certRef: FileRef,
  out: Reporter,
): void {
  const fixes: FixData[] = [];
  const dirs = [posix.dirname(certRef.path.local), posix.dirname(keyRef.path.local)];
  // Encrypted candidates are tried with the profile's password within a budget of their own.
  let searchWork = 0;
  const tryUnlock = (k: PrivateKeyEntry): PublicKeyInfo | undefined => {
    if (!k.encrypted || !slot.password || !k.encryption) return undefined;
    const cost = decryptionCost(k.encryption);
    if (!cost.ok || searchWork + cost.units > KDF_WORK_PER_FIX_SEARCH) return undefined;
    searchWork += cost.units;
    const u = unlockKey(k, slot.password.value);
    return u.ok ? u.publicKey : undefined;
  };
  for (const candidate of run.keysIn(dirs)) {
    if (candidate.path === keyRef.path.local) continue;
    const k = candidate.key.key;
    const pub = k.publicKey ?? tryUnlock(k);
    if (!pub || pub.spkiSha256 !== first.publicKey.spkiSha256) continue;
    const e = pointOptionAt(run.deployment, profile, keyRef, candidate.path);
    if (e) fixes.push(fix(`Use the matching key ${posix.basename(candidate.path)}`, [e], true));
    break;
  }
  const certWords = certRef.implicit ? 'cert.pem' : `${certRef.option} ${certRef.path.deployed}`;
  // Same key type: OpenSSL 3 rejects the key while loading it ("key values mismatch"). Another
  // type (an EC key for an RSA certificate) loads into another slot and fails the check after it
  // (ORACLE-NOTES R1).
  const sameType = baseType(keyInfo.type) === baseType(first.publicKey.type);
  const log = sameType
    ? `Kamailio will refuse to start: key values mismatch ("${keyLoadError(profile, keyRef)}")`
    : `Kamailio will refuse to start ("${profile.view.logName}: Key '${keyRef.path.deployed}' does not match the public key of the certificate")`;
  out.add(
    'key.mismatch',
    keyRef.file,
    keyRef.range,
    `${subject(profile, keyRef)}: this ${keyInfo.description} key does not belong to ${quoteName(first)} (${first.publicKey.description}), the first certificate of ${certWords}: ${log}.`,
    { fixes },
  );
}

function baseType(t: string): string {
  return t === 'rsa-pss' ? 'rsa' : t;
}

// Key and certificate material in every form a repository may hold it: PEM (PKCS#8, PKCS#1, SEC1,
// encrypted PKCS#8, legacy encrypted PEM, a certificate with its key), DER of each, PKCS#12 (with
// and without the `openssl pkcs12 -nodes` text), OpenSSH (the openssh-key-v1 structure, built
// here), PuTTY, a PGP armored block, JSON Web Keys, OpenSSL's text dump and bare base64 — for the
// sniffing tests and the leak property (no output may repeat any of it).
import { createHash, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Issued } from '../fixtures/pki';

export type KeyKind = 'rsa' | 'ec' | 'ed25519';

export interface MaterialForm {
  /** e.g. `rsa/pem-pkcs8`. */
  name: string;
  bytes: Uint8Array;
  /** Holds a private key (as opposed to a certificate alone). */
  secret: boolean;
  /** What sniffCryptoMaterial must say it is (a prefix of its description). */
  describedAs: string;
}

function kindOf(key: KeyObject): KeyKind {
  const t = key.asymmetricKeyType;
  if (t === 'rsa' || t === 'ec' || t === 'ed25519') return t;
  throw new Error(`unsupported key type ${t}`);
}

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const der = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', passphrase?: string): Uint8Array =>
  new Uint8Array(key.export({ type, format: 'der', ...(passphrase ? { cipher: 'aes-256-cbc', passphrase } : {}) } as Parameters<KeyObject['export']>[0] & { format: 'der' }) as Buffer);
const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', passphrase?: string): string =>
  key.export({ type, format: 'pem', ...(passphrase ? { cipher: 'aes-256-cbc', passphrase } : {}) } as Parameters<KeyObject['export']>[0] & { format: 'pem' }).toString();

/** The base64 lines of a PEM text, without the framing. */
export function pemBody(p: string): string {
  return p
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----') && !/^[A-Za-z-]+:/.test(l))
    .join('\n');
}

function wrap64(b64: string): string {
  return (b64.match(/.{1,64}/g) ?? []).join('\n');
}

// --- OpenSSH (PROTOCOL.key: "openssh-key-v1", no cipher) -------------------------------------

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([u32(body.length), body]);
}

function mpint(b64url: string): Buffer {
  let b = Buffer.from(b64url, 'base64url');
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.of(0), b]);
  return sshString(b);
}

/** An unencrypted OpenSSH private key, as `ssh-keygen` writes it. */
export function openSshPrivateKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  let pub: Buffer;
  let priv: Buffer;
  switch (kindOf(key)) {
    case 'ed25519': {
      const x = Buffer.from(jwk.x!, 'base64url');
      const d = Buffer.from(jwk.d!, 'base64url');
      pub = Buffer.concat([sshString('ssh-ed25519'), sshString(x)]);
      priv = Buffer.concat([sshString('ssh-ed25519'), sshString(x), sshString(Buffer.concat([d, x]))]);
      break;
    }
    case 'rsa':
      pub = Buffer.concat([sshString('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)]);
      priv = Buffer.concat([sshString('ssh-rsa'), mpint(jwk.n!), mpint(jwk.e!), mpint(jwk.d!), mpint(jwk.qi!), mpint(jwk.p!), mpint(jwk.q!)]);
      break;
    case 'ec': {
      const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      pub = Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp256'), sshString(point)]);
      priv = Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp256'), sshString(point), mpint(jwk.d!)]);
      break;
    }
  }
  const check = createHash('sha256').update(priv).digest().readUInt32BE(0);
  let block = Buffer.concat([u32(check), u32(check), priv, sshString('test@sip-tls')]);
  for (let pad = 1; block.length % 8 !== 0; pad++) block = Buffer.concat([block, Buffer.of(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), u32(1), sshString(pub), sshString(block)]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${(body.toString('base64').match(/.{1,70}/g) ?? []).join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

// --- the other forms --------------------------------------------------------------------------

/** A PKCS#12 bundle of an RSA key and its certificate (node-forge handles RSA only). */
function pkcs12(key: KeyObject, cert: Issued): Uint8Array {
  const forgeKey = forge.pki.privateKeyFromPem(pem(key, 'pkcs8'));
  const forgeCert = forge.pki.certificateFromPem(cert.pem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeCert], 'secret', { algorithm: '3des' });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

/** `openssl pkey -text`: the private components in hex, with colons, 15 bytes a line. */
function opensslTextDump(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const hexBlock = (b64url: string) =>
    (Buffer.from(b64url, 'base64url').toString('hex').match(/.{1,2}/g) ?? [])
      .join(':')
      .replace(/((?:[0-9a-f]{2}:){15})/g, '$1\n    ');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 256;
  const fields = kindOf(key) === 'rsa' ? ['n', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['d', 'x'];
  return `Private-Key: (${bits} bit${kindOf(key) === 'rsa' ? ', 2 primes' : ''})\n${fields.map((f) => `${f}:\n    ${hexBlock(jwk[f]!)}`).join('\n')}\n`;
}

function putty(key: KeyObject): string {
  const body = wrap64(Buffer.from(der(key, 'pkcs8')).toString('base64'));
  return `PuTTY-User-Key-File-3: ssh-${kindOf(key)}\nEncryption: none\nComment: test\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: ${body.split('\n').length}\n${body}\nPrivate-MAC: 00\n`;
}

function pgpArmor(key: KeyObject): string {
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${wrap64(Buffer.from(der(key, 'pkcs8')).toString('base64'))}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}

/** Every form of `key` (and of its certificate `cert`). */
export function materialForms(key: KeyObject, cert: Issued): MaterialForm[] {
  const kind = kindOf(key);
  const out: MaterialForm[] = [];
  const add = (name: string, bytes: Uint8Array | string, describedAs: string, secret = true) =>
    out.push({ name: `${kind}/${name}`, bytes: typeof bytes === 'string' ? text(bytes) : bytes, secret, describedAs });
  const pkcs8 = pem(key, 'pkcs8');
  add('pem-pkcs8', pkcs8, 'a PEM private key (PKCS#8)');
  add('der-pkcs8', der(key, 'pkcs8'), 'a DER private key (PKCS#8)');
  add('pem-encrypted-pkcs8', pem(key, 'pkcs8', 'secret'), 'an encrypted PEM private key (encrypted PKCS#8)');
  add('der-encrypted-pkcs8', der(key, 'pkcs8', 'secret'), 'a DER encrypted private key (PKCS#8)');
  if (kind === 'rsa') {
    add('pem-pkcs1', pem(key, 'pkcs1'), 'a PEM private key (PKCS#1)');
    add('der-pkcs1', der(key, 'pkcs1'), 'a DER RSA private key (PKCS#1)');
    add('pem-legacy-encrypted', pem(key, 'pkcs1', 'secret'), 'a PEM private key (PKCS#1)');
    add('pkcs12', pkcs12(key, cert), 'a PKCS#12 (.p12/.pfx) bundle');
  }
  if (kind === 'ec') {
    add('pem-sec1', pem(key, 'sec1'), 'a PEM private key (SEC1)');
    add('der-sec1', der(key, 'sec1'), 'a DER EC private key (SEC1)');
  }
  add('pkcs12-nodes', `Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: sip\nKey Attributes: <No Attributes>\n${pkcs8}Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=O = sip-tls tests, CN = sip.example.com\n${cert.pem}`, 'a PEM private key (PKCS#8)');
  add('pem-certificate-and-key', cert.pem + pkcs8, 'a PEM private key (PKCS#8) and a certificate');
  add('openssh', openSshPrivateKey(key), 'an OpenSSH private key');
  add('openssh-base64', pemBody(openSshPrivateKey(key)), 'base64 of an OpenSSH private key');
  add('putty', putty(key), 'a PuTTY private key');
  add('pgp-armor', pgpArmor(key), 'a PGP private key block');
  add('jwk', JSON.stringify(key.export({ format: 'jwk' })), 'a JSON Web Key with its private part');
  add('jwk-set', JSON.stringify({ keys: [{ kid: 'sip', use: 'sig', ...key.export({ format: 'jwk' }) }] }, null, 2), 'a JSON Web Key with its private part');
  add('openssl-text', opensslTextDump(key), "OpenSSL's text dump of a private key");
  add('base64-pkcs8', pemBody(pkcs8) + '\n', 'base64 of a private key (PKCS#8)');
  add('base64url-pkcs8', Buffer.from(der(key, 'pkcs8')).toString('base64url'), 'base64 of a private key (PKCS#8)');
  add('pem-certificate', cert.pem, 'a PEM certificate', false);
  add('der-certificate', cert.der, 'a DER certificate', false);
  return out;
}

/** The private components of a key in hex (what a text dump or a debugger would show). */
export function privateComponentsHex(key: KeyObject): string[] {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return ['d', 'p', 'q', 'dp', 'dq', 'qi'].filter((f) => jwk[f] !== undefined).map((f) => Buffer.from(jwk[f]!, 'base64url').toString('hex'));
}

// The fleet's PKI: two roots (RSA 2048 and ECDSA P-256), two intermediates under each, and one
// leaf per TLS profile, signed by the intermediates in turn and with RSA 2048 / ECDSA P-256 keys
// alternating. Built in-process with the project's certificate builder (no openssl runs), so the
// benchmark does not time its own set-up tools.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { buildCertificate, type NameAttributes } from '../../server/src/core/pki/certBuilder';

export type KeyKind = 'rsa' | 'ec';

export interface KeyPair {
  kind: KeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface CaCert {
  name: NameAttributes;
  pem: string;
  key: KeyPair;
  /** File name (without folder) the CA certificate is written to. */
  file: string;
}

export interface LeafSpec {
  cn: string;
  dns: string[];
  /** Index of the issuing intermediate (0..3). */
  issuer: number;
  kind: KeyKind;
  /** Days from `now` to notAfter (every leaf is comfortably valid: a real fleet renews in time). */
  validDays: number;
}

export interface Leaf {
  pem: string;
  /** Leaf then its intermediate: the file Kamailio's `certificate` points at. */
  fullchainPem: string;
  keyPem: string;
  issuer: CaCert;
  root: CaCert;
}

const DAY = 86_400_000;

function newKeyPair(kind: KeyKind): Promise<KeyPair> {
  // Asynchronous generation runs on the libuv thread pool: RSA 2048 takes ~150 ms per key here,
  // so several in parallel matter.
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
      if (error) reject(error);
      else resolve({ kind, privateKey, publicKey });
    };
    if (kind === 'rsa') generateKeyPair('rsa', { modulusLength: 2048 }, done);
    else generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
  });
}

/** `count` fresh key pairs of a kind, generated a few at a time. */
async function keyPairs(kind: KeyKind, count: number): Promise<KeyPair[]> {
  const out: KeyPair[] = [];
  const batch = 8;
  for (let i = 0; i < count; i += batch) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => newKeyPair(kind)))));
  }
  return out;
}

let serial = 0x1000;
function nextSerial(): Uint8Array {
  const n = serial++;
  return Uint8Array.of(0x5a, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

export class FleetPki {
  readonly roots: CaCert[] = [];
  readonly intermediates: CaCert[] = [];
  private rsaKeys: KeyPair[] = [];
  private ecKeys: KeyPair[] = [];
  private rsaNext = 0;
  private ecNext = 0;

  private constructor(readonly now: Date) {}

  /**
   * A PKI with `distinctKeys` leaf key pairs (half RSA, half EC). Leaves beyond that reuse the
   * pool in turn: every certificate and chain is still distinct, only key material repeats, which
   * keeps generating the ×8 fleet (1,600 chains) from costing minutes of RSA key generation.
   */
  static async create(distinctKeys: number, now = new Date()): Promise<FleetPki> {
    const pki = new FleetPki(new Date(Math.floor(now.getTime() / 1000) * 1000));
    const [rootKeys, caRsa, caEc] = await Promise.all([
      Promise.all([newKeyPair('rsa'), newKeyPair('ec')]),
      keyPairs('rsa', 2),
      keyPairs('ec', 2),
    ]);
    const rsaCount = Math.max(1, Math.ceil(distinctKeys / 2));
    const ecCount = Math.max(1, Math.floor(distinctKeys / 2));
    [pki.rsaKeys, pki.ecKeys] = await Promise.all([keyPairs('rsa', rsaCount), keyPairs('ec', ecCount)]);

    const rootSpecs: [string, string][] = [
      ['Example Telecom Root CA R1', 'root-r1.pem'],
      ['Example Telecom Root CA E1', 'root-e1.pem'],
    ];
    rootSpecs.forEach(([cn, file], i) => {
      const key = rootKeys[i]!;
      const name: NameAttributes = { C: 'GB', O: 'Example Telecom Ltd', CN: cn };
      const pem = buildCertificate({
        subject: name,
        publicKey: key.publicKey,
        signingKey: key.privateKey,
        notBefore: new Date(pki.now.getTime() - 400 * DAY),
        notAfter: new Date(pki.now.getTime() + 7300 * DAY),
        serial: nextSerial(),
        ca: {},
        keyUsage: ['keyCertSign', 'cRLSign'],
      }).pem;
      pki.roots.push({ name, pem, key, file });
    });
    // Intermediates: under R1 one RSA and one EC, under E1 likewise (cross-algorithm signatures
    // are common in real hierarchies and exercise both verify paths).
    const caKeys = [caRsa[0]!, caEc[0]!, caRsa[1]!, caEc[1]!];
    caKeys.forEach((key, i) => {
      const root = pki.roots[i < 2 ? 0 : 1]!;
      const cn = `Example Telecom ${key.kind === 'rsa' ? 'RSA' : 'ECC'} Issuing CA ${i + 1}`;
      const name: NameAttributes = { C: 'GB', O: 'Example Telecom Ltd', CN: cn };
      const pem = buildCertificate({
        subject: name,
        issuer: root.name,
        issuerPublicKey: root.key.publicKey,
        publicKey: key.publicKey,
        signingKey: root.key.privateKey,
        notBefore: new Date(pki.now.getTime() - 200 * DAY),
        notAfter: new Date(pki.now.getTime() + 3650 * DAY),
        serial: nextSerial(),
        ca: { pathLength: 0 },
        keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
      }).pem;
      pki.intermediates.push({ name, pem, key, file: `issuing-ca-${i + 1}.pem` });
    });
    return pki;
  }

  rootOf(intermediate: CaCert): CaCert {
    const i = this.intermediates.indexOf(intermediate);
    return this.roots[i < 2 ? 0 : 1]!;
  }

  private takeKey(kind: KeyKind): KeyPair {
    if (kind === 'rsa') return this.rsaKeys[this.rsaNext++ % this.rsaKeys.length]!;
    return this.ecKeys[this.ecNext++ % this.ecKeys.length]!;
  }

  leaf(spec: LeafSpec): Leaf {
    const issuer = this.intermediates[spec.issuer % this.intermediates.length]!;
    const key = this.takeKey(spec.kind);
    const pem = buildCertificate({
      subject: { O: 'Example Telecom Ltd', CN: spec.cn },
      issuer: issuer.name,
      issuerPublicKey: issuer.key.publicKey,
      publicKey: key.publicKey,
      signingKey: issuer.key.privateKey,
      notBefore: new Date(this.now.getTime() - 10 * DAY),
      notAfter: new Date(this.now.getTime() + spec.validDays * DAY),
      serial: nextSerial(),
      keyUsage: key.kind === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'],
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
      dnsNames: spec.dns,
    }).pem;
    // Keys as the usual tools write them: PKCS#8 (openssl genpkey, certbot) for RSA, SEC1
    // ("BEGIN EC PRIVATE KEY", openssl ecparam -genkey) for EC.
    const keyPem = key.privateKey.export(key.kind === 'rsa' ? { type: 'pkcs8', format: 'pem' } : { type: 'sec1', format: 'pem' }).toString();
    return { pem, fullchainPem: pem + issuer.pem, keyPem, issuer, root: this.rootOf(issuer) };
  }
}

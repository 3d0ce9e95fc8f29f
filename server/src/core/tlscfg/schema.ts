// The options Kamailio's tls.cfg parser accepts (reference §1.4, tls_config.c `options[]`), their
// value types, defaults, aliases and the version that introduced them. Keys are
// case-insensitive in Kamailio (cfg_parser.c compares with strncasecmp).

export type OptionType = 'method' | 'bool' | 'int' | 'verify_client' | 'path' | 'string' | 'server_name_mode';

export interface OptionSpec {
  name: string;
  aliases: string[];
  type: OptionType;
  /** First Kamailio version that accepts the key, when newer than 5.4. */
  since?: string;
  /** Built-in default for server / client profiles (reference §1.4). */
  serverDefault?: string;
  clientDefault?: string;
  /** A file or directory path resolved as Kamailio resolves it (§1.9). */
  isPath?: 'file' | 'directory' | 'key';
  doc: string;
}

export const TLS_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'method', aliases: ['tls_method'], type: 'method', serverDefault: 'TLSv1+', clientDefault: 'TLSv1+',
    doc: 'Protocol versions the profile accepts. `TLSv1.2+` is the minimum version with no maximum; `TLSv1` means TLS 1.0 **only**.',
  },
  {
    name: 'verify_certificate', aliases: ['verify_cert'], type: 'bool', serverDefault: 'no', clientDefault: 'no',
    doc: 'Verify the peer certificate against `ca_list`/`ca_path`. On a server profile the client certificate is requested and, when sent, must verify; on a client profile the server certificate must verify.',
  },
  {
    name: 'require_certificate', aliases: ['require_cert'], type: 'bool', serverDefault: 'no', clientDefault: 'no',
    doc: 'The peer must present a certificate that verifies (mutual TLS on server profiles).',
  },
  {
    name: 'verify_client', aliases: [], type: 'verify_client', since: '5.4', serverDefault: 'off', clientDefault: 'off',
    doc: 'Client-certificate policy of a server profile: `off`, `on` (required and verified), `optional` (verified if sent), `optional_no_ca` (accepted even if it does not verify; see `$tls_peer_verified`). Do not mix with the two booleans.',
  },
  {
    name: 'verify_depth', aliases: [], type: 'int', serverDefault: '9', clientDefault: '9',
    doc: 'Maximum length of the peer certificate chain accepted during verification.',
  },
  {
    name: 'certificate', aliases: ['cert_file'], type: 'path', isPath: 'file', serverDefault: 'cert.pem',
    doc: 'PEM file with the certificate Kamailio presents, leaf first followed by its intermediates (a full chain). It may also hold the private key.',
  },
  {
    name: 'private_key', aliases: ['pkey_file'], type: 'path', isPath: 'key', serverDefault: 'cert.pem',
    doc: 'PEM file with the private key of the first certificate of `certificate`. `/uri:…` (OpenSSL 3 provider) and `/engine:…` name keys that are not files.',
  },
  {
    name: 'private_key_password', aliases: ['pkey_password'], type: 'string', since: '6.0',
    doc: 'Passphrase of an encrypted private key.',
  },
  {
    name: 'ca_list', aliases: ['calist_file'], type: 'path', isPath: 'file',
    doc: 'PEM bundle of CA certificates (and optionally CRLs) trusted to verify the peer, in both roles. On server profiles their names are advertised in the CertificateRequest. It does **not** complete your own chain.',
  },
  {
    name: 'ca_path', aliases: [], type: 'path', isPath: 'directory', since: '5.5',
    doc: 'Directory of CA certificates named by OpenSSL subject hash (`c_rehash`), looked up on demand.',
  },
  {
    name: 'crl', aliases: [], type: 'path', isPath: 'file',
    doc: 'PEM file with certificate revocation lists; enables CRL checks for the whole peer chain.',
  },
  {
    name: 'cipher_list', aliases: [], type: 'string',
    doc: 'OpenSSL cipher string (TLS ≤ 1.2, e.g. `HIGH:!aNULL`), or TLS 1.3 suite names when `method` is `TLSv1.3`/`TLSv1.3+` (Kamailio 6.0.2 and newer; 6.0.1 and older still read TLS 1.2 names there).',
  },
  {
    name: 'server_name', aliases: [], type: 'string',
    doc: 'SNI host name this profile is selected for (required on `any` profiles). On client profiles it is only used for matching; the SNI sent comes from the connection.',
  },
  {
    name: 'server_name_mode', aliases: [], type: 'server_name_mode', serverDefault: '0', clientDefault: '0',
    doc: 'How `server_name` matches SNI: `0` exact, `1` the name and its subdomains, `2` subdomains only.',
  },
  {
    name: 'server_id', aliases: [], type: 'string',
    doc: 'Label that selects this client profile via `tls_set_connect_server_id()` or `$xavp(<xavp_cfg>=>server_id)`.',
  },
  {
    name: 'certificate2', aliases: ['cert_file2'], type: 'path', isPath: 'file', since: '6.2',
    doc: 'A second certificate (e.g. ECDSA beside RSA) for the same profile. Never inherited.',
  },
  {
    name: 'private_key2', aliases: ['pkey_file2'], type: 'path', isPath: 'key', since: '6.2',
    doc: 'The private key of `certificate2`.',
  },
  {
    name: 'private_key_password2', aliases: ['pkey_password2'], type: 'string', since: '6.2',
    doc: 'Passphrase of `private_key2`.',
  },
];

const BY_KEY = new Map<string, OptionSpec>();
for (const spec of TLS_OPTIONS) {
  BY_KEY.set(spec.name, spec);
  for (const a of spec.aliases) BY_KEY.set(a, spec);
}

/** Look up a key as Kamailio does: case-insensitively, aliases included. */
export function lookupOption(key: string): OptionSpec | undefined {
  return BY_KEY.get(key.toLowerCase());
}

export function optionSpec(name: string): OptionSpec {
  const spec = BY_KEY.get(name);
  if (!spec) throw new Error(`unknown tls.cfg option ${name}`);
  return spec;
}

/** All accepted spellings (canonical names and aliases). */
export function allOptionKeys(): string[] {
  return [...BY_KEY.keys()];
}

/**
 * Method values (tls_config.c `methods[]`), case-insensitive. `minTls` is the lowest TLS version
 * the method allows (SSL versions count as below 1.0); `since` gates TLS 1.3 values.
 */
export interface MethodSpec {
  name: string;
  /** Lowest protocol the method allows, as 'SSLv2' | 'SSLv3' | '1.0' | '1.1' | '1.2' | '1.3'. */
  min: 'SSLv2' | 'SSLv3' | '1.0' | '1.1' | '1.2' | '1.3';
  /** true when the method is a single version (no "+"). */
  exact: boolean;
  since?: string;
  /**
   * No SSL method in the library: SSLv2 since OpenSSL 1.1, SSLv3 in OpenSSL 3 builds (Debian 12:
   * "Cannot create SSL context … null ssl method passed", verified on 5.6.3).
   */
  unusable?: boolean;
}

export const TLS_METHODS: readonly MethodSpec[] = [
  { name: 'SSLv2', min: 'SSLv2', exact: true, unusable: true },
  { name: 'SSLv3', min: 'SSLv3', exact: true, unusable: true },
  { name: 'SSLv23', min: 'SSLv3', exact: false },
  { name: 'TLSv1', min: '1.0', exact: true },
  { name: 'TLSv1.0', min: '1.0', exact: true },
  { name: 'TLSv1+', min: '1.0', exact: false },
  { name: 'TLSv1.0+', min: '1.0', exact: false },
  { name: 'TLSv1.1', min: '1.1', exact: true },
  { name: 'TLSv1.1+', min: '1.1', exact: false },
  { name: 'TLSv1.2', min: '1.2', exact: true },
  { name: 'TLSv1.2+', min: '1.2', exact: false },
  { name: 'TLSv1.3', min: '1.3', exact: true, since: '5.7' },
  { name: 'TLSv1.3+', min: '1.3', exact: false, since: '5.7' },
];

export function lookupMethod(value: string): MethodSpec | undefined {
  const v = value.toLowerCase();
  return TLS_METHODS.find((m) => m.name.toLowerCase() === v);
}

export const VERIFY_CLIENT_VALUES = ['off', 'on', 'optional', 'optional_no_ca'] as const;

/** tls.cfg booleans (cfg_parser.c), case-insensitive. */
export const TLSCFG_TRUE = ['yes', 'true', 'enable', 'enabled', '1', 'on'];
export const TLSCFG_FALSE = ['no', 'false', 'disable', 'disabled', '0', 'off'];

export function parseTlsBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (TLSCFG_TRUE.includes(v)) return true;
  if (TLSCFG_FALSE.includes(v)) return false;
  return undefined;
}

/**
 * Spellings from OpenSIPS / OpenSER that people paste into tls.cfg, with the Kamailio key.
 * `verify_cert` and `require_cert` are not here: Kamailio itself accepts them as aliases.
 */
export const FOREIGN_SPELLINGS: Readonly<Record<string, string | undefined>> = {
  ca_dir: 'ca_path',
  ciphers_list: 'cipher_list',
  require_client_certificate: 'require_certificate',
  tls_verify_client: 'verify_client',
  verify_server: 'verify_certificate',
  crl_dir: undefined,
  dh_params: undefined,
  ec_curve: undefined,
  handshake_timeout: undefined,
};

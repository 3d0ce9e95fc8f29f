// Parameters the tls module exports to modparam("tls", …) (tls_mod.c params[]; reference §2).
// The export type matters: Kamailio refuses a quoted value for an int parameter and vice versa
// ("parameter <x> of type <1:string> not found in module <tls>").

export interface TlsModparamSpec {
  name: string;
  type: 'string' | 'int';
  since?: string;
  /** A per-profile setting (ignored when modparam("tls", "config", …) is set; §2.3). */
  perProfile?: boolean;
  /** The tls.cfg option it corresponds to. */
  tlsCfgKey?: string;
  /** Not applied in modparam mode either (never copied into the default profiles). */
  neverApplied?: boolean;
  /** Not exported by tls_wolfssl (tls_wolfssl_mod.c params[] exports a subset). */
  notInWolfssl?: boolean;
  doc: string;
}

export const TLS_MODPARAMS: readonly TlsModparamSpec[] = [
  { name: 'tls_method', type: 'string', perProfile: true, tlsCfgKey: 'method', doc: 'Protocol versions of the default profiles. Default `TLSv1`, which is TLS 1.0 **only**.' },
  { name: 'certificate', type: 'string', perProfile: true, tlsCfgKey: 'certificate', doc: 'Certificate (full chain, leaf first) of the default profiles. Default `cert.pem` beside kamailio.cfg.' },
  { name: 'private_key', type: 'string', perProfile: true, tlsCfgKey: 'private_key', doc: 'Private key of the default profiles. Default `cert.pem` beside kamailio.cfg.' },
  { name: 'private_key_password', notInWolfssl: true, type: 'string', since: '6.0', perProfile: true, tlsCfgKey: 'private_key_password', neverApplied: true, doc: 'Passphrase of an encrypted key. Kamailio does not copy it into the modparam-built profiles: set it in tls.cfg.' },
  { name: 'ca_list', type: 'string', perProfile: true, tlsCfgKey: 'ca_list', doc: 'CA certificates trusted to verify peers.' },
  { name: 'ca_path', type: 'string', since: '5.5', perProfile: true, tlsCfgKey: 'ca_path', neverApplied: true, doc: 'Hashed CA directory. Ignored in modparam mode (never copied into the default profiles).' },
  { name: 'crl', type: 'string', perProfile: true, tlsCfgKey: 'crl', doc: 'Certificate revocation lists.' },
  { name: 'cipher_list', type: 'string', perProfile: true, tlsCfgKey: 'cipher_list', doc: 'OpenSSL cipher string.' },
  { name: 'verify_certificate', type: 'int', perProfile: true, tlsCfgKey: 'verify_certificate', doc: 'Verify peer certificates (0/1). Applies to both default profiles.' },
  { name: 'verify_depth', type: 'int', perProfile: true, tlsCfgKey: 'verify_depth', doc: 'Maximum peer chain length (default 9).' },
  { name: 'require_certificate', type: 'int', perProfile: true, tlsCfgKey: 'require_certificate', doc: 'Require a peer certificate (0/1).' },
  { name: 'verify_client', type: 'string', since: '5.4', perProfile: true, tlsCfgKey: 'verify_client', doc: 'Client certificate policy: off, on, optional, optional_no_ca.' },
  { name: 'server_name', type: 'string', perProfile: true, tlsCfgKey: 'server_name', doc: 'SNI name of the default profiles.' },
  { name: 'config', type: 'string', doc: 'Path of tls.cfg (or a directory of files). When set, every profile comes from it and per-profile modparams are ignored.' },
  { name: 'xavp_cfg', type: 'string', doc: 'XAVP whose `server_name` / `server_id` fields select outbound SNI and client profiles.' },
  { name: 'connection_timeout', type: 'int', doc: 'Idle lifetime of a TLS connection in seconds (default 600, -1 = never).' },
  { name: 'tls_log', type: 'int', doc: 'Log level of TLS informational messages (default 3).' },
  { name: 'tls_debug', type: 'int', doc: 'Log level of TLS debug messages (default 3).' },
  { name: 'session_cache', type: 'int', doc: 'Server-side session cache (default 0).' },
  { name: 'session_id', type: 'string', doc: 'Session id context.' },
  { name: 'tls_disable_compression', type: 'int', doc: 'Disable TLS compression (default 1).' },
  { name: 'ssl_release_buffers', type: 'int', doc: 'Release OpenSSL buffers when idle (default 1).' },
  { name: 'ssl_freelist_max_len', type: 'int', doc: 'OpenSSL buffer free-list length (default 0).' },
  { name: 'ssl_max_send_fragment', type: 'int', doc: 'Maximum TLS record size, 512–16384 (default -1 = OpenSSL default).' },
  { name: 'ssl_read_ahead', type: 'int', doc: 'OpenSSL read-ahead (default 0).' },
  { name: 'send_close_notify', type: 'int', doc: 'Send close_notify on shutdown (default 0).' },
  { name: 'con_ct_wq_max', type: 'int', doc: 'Per-connection clear-text write queue limit.' },
  { name: 'ct_wq_max', type: 'int', doc: 'Total clear-text write queue limit.' },
  { name: 'ct_wq_blk_size', type: 'int', doc: 'Clear-text write queue block size.' },
  { name: 'tls_force_run', type: 'int', doc: 'Start despite OpenSSL version / Kerberos checks (default 0).' },
  { name: 'low_mem_threshold1', type: 'int', doc: 'Low-memory threshold 1 in KB.' },
  { name: 'low_mem_threshold2', type: 'int', doc: 'Low-memory threshold 2 in KB.' },
  { name: 'renegotiation', type: 'int', doc: 'Allow client-initiated renegotiation (default 0).' },
  { name: 'event_callback', type: 'string', doc: 'KEMI function for event_route[tls:connection-out].' },
  { name: 'rand_engine', type: 'string', doc: 'Random engine (OpenSSL 1.1.x only): krand, fastrand, cryptorand, kxlibssl.' },
  { name: 'init_mode', notInWolfssl: true, type: 'int', doc: 'Bitmask: 1 = mutex around libssl memory operations, 2 = OpenSSL fork-prepare.' },
  { name: 'key_password_mode', notInWolfssl: true, type: 'int', since: '6.0', doc: '0 = use private_key_password, 1 = prompt at start-up.' },
  { name: 'keylog_mode', notInWolfssl: true, type: 'int', since: '6.1', doc: 'TLS key logging mode.' },
  { name: 'keylog_file', notInWolfssl: true, type: 'string', since: '6.1', doc: 'TLS key log file.' },
  { name: 'keylog_peer', notInWolfssl: true, type: 'string', since: '6.1', doc: 'TLS key log peer (udp:IP:port).' },
  { name: 'engine', notInWolfssl: true, type: 'string', doc: 'OpenSSL ENGINE for HSM keys (OpenSSL < 3 builds).' },
  { name: 'engine_config', notInWolfssl: true, type: 'string', doc: 'OpenSSL ENGINE configuration file.' },
  { name: 'engine_algorithms', notInWolfssl: true, type: 'string', doc: 'Algorithms delegated to the ENGINE.' },
  { name: 'provider_quirks', notInWolfssl: true, type: 'int', doc: 'OpenSSL 3 provider reload in child processes.' },
  { name: 'provider_quirks_config', notInWolfssl: true, type: 'string', doc: 'OpenSSL 3 provider configuration for the quirks.' },
];

const BY_NAME = new Map(TLS_MODPARAMS.map((p) => [p.name, p]));

/** modparam names are case-sensitive in Kamailio. With `engine` tls_wolfssl, only what it exports. */
export function lookupTlsModparam(name: string, engine: 'tls' | 'tls_wolfssl' = 'tls'): TlsModparamSpec | undefined {
  const spec = BY_NAME.get(name);
  return spec && engine === 'tls_wolfssl' && spec.notInWolfssl ? undefined : spec;
}

/** Documented in params.xml but not exported as modparams (reference §0). */
export const DOCUMENTED_BUT_NOT_EXPORTED = ['certificate2', 'private_key2', 'private_key_password2', 'cert_file2', 'pkey_file2'];

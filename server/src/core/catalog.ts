// The diagnostic catalog: every code the checker can produce, its default severity and what
// the real Kamailio does with the same input. Single source for the rules, the settings schema
// (severity overrides), the SARIF rule table and the documentation. Codes are a public
// contract: add freely, never rename.
import type { Severity } from './types';
import { EXAMPLES } from './catalogExamples';

/** What Kamailio (5.6 on OpenSSL 3 unless noted) does with the input that triggers the code. */
/**
 * `deployment`: depends on what the deployment provides (files outside the repository, values
 * filled in from templates): nothing is claimed until they are given.
 */
export type KamailioBehaviour = 'fatal' | 'silent' | 'peer' | 'ok' | 'fatal-or-silent' | 'deployment';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  kamailio: KamailioBehaviour;
  /** One line, used as the SARIF short description and in the README table. */
  summary: string;
  /** What happens in production and how to fix it. */
  help: string;
  /** A mechanical fix is offered. */
  hasFix: boolean;
  /**
   * Where Kamailio does something else on a platform (platform.ts id) than `kamailio` says, e.g.
   * an MD5/SHA-1 signature: fatal on Debian 12 (OpenSSL 3.0), a peer failure on Debian 13 (3.5).
   */
  onPlatform?: Readonly<Record<string, KamailioBehaviour>>;
  /** On which Kamailio versions and platforms the code applies, when not on all of them. */
  applies?: string;
  /** The smallest configuration that triggers the code (catalogExamples.ts), when it has a natural one. */
  example?: CatalogExample;
}

/** A configuration file that triggers a code, checked on its own (with `options` on the command line). */
export interface CatalogExample {
  file: 'kamailio.cfg' | 'tls.cfg';
  text: string;
  options?: readonly string[];
}

/** What each KamailioBehaviour means, in words (docs/diagnostics.md, sip-tls explain). */
export const BEHAVIOUR_WORDS: Readonly<Record<KamailioBehaviour, string>> = {
  fatal: 'refuses to start',
  silent: 'starts; the setting does nothing or something else',
  peer: 'starts; peers fail the handshake',
  ok: 'starts normally',
  'fatal-or-silent': 'refuses to start or silently misbehaves (see severity)',
  deployment: 'depends on what the deployment provides',
};

/** What Kamailio does with the input of `entry` on `platformId` (platform.ts). */
export function behaviourOn(e: CatalogEntry, platformId: string | undefined): KamailioBehaviour {
  return (platformId !== undefined ? e.onPlatform?.[platformId] : undefined) ?? e.kamailio;
}

/** Adds the platforms and versions a code applies to (and where its behaviour differs). */
function gated(e: CatalogEntry, applies: string, onPlatform?: Record<string, KamailioBehaviour>): CatalogEntry {
  return { ...e, applies, ...(onPlatform ? { onPlatform } : {}) };
}

function entry(
  code: string,
  severity: Severity,
  kamailio: KamailioBehaviour,
  summary: string,
  help: string,
  hasFix = false,
): CatalogEntry {
  return { code, severity, kamailio, summary, help, hasFix };
}

const ENTRIES: readonly CatalogEntry[] = [
  // tls.cfg structure
  entry('tlscfg.syntax', 'error', 'fatal', 'tls.cfg syntax error',
    "Kamailio's tls.cfg parser rejects the line (missing '=', invalid character, unterminated quote, trailing text, empty value, option before the first profile header, token longer than 512 bytes) and the tls module fails to initialise, so Kamailio exits. Also a key or a certificate given as the tls.cfg (modparam \"config\"), or pasted into it: it is reported once, as what it is, and never quoted."),
  entry('tlscfg.bad-header', 'error', 'fatal', 'Malformed profile header',
    'A profile header must be [server|client:default|any|IPv4:port|[IPv6]:port]. Host names, IPv6 without brackets, a missing port, a port after default/any and * are rejected and Kamailio exits.', true),
  entry('tlscfg.unknown-option', 'error', 'fatal', 'Unknown tls.cfg option',
    "Kamailio exits with \"Unsupported option\". Typical causes are typos and OpenSIPS spellings (ca_dir, ciphers_list, dh_params); verify_cert and require_cert are Kamailio aliases and fine.", true),
  entry('tlscfg.bad-value', 'error', 'fatal', 'Invalid option value',
    'An invalid boolean, integer or enumerated value (method, verify_client) makes Kamailio exit ("Unsupported enum value", "boolean expected", "Invalid integer value").', true),
  gated(entry('tlscfg.version-gated', 'error', 'fatal', 'Needs a newer Kamailio',
    'The option or value does not exist in the configured Kamailio version (TLSv1.3+ needs 5.7, private_key_password 6.0, certificate2 6.2); that Kamailio exits at start-up.', true),
    'Kamailio 5.4 to 5.6 for TLSv1.3/TLSv1.3+, before 6.0 for private_key_password, before 6.2 for certificate2 (proven on 5.6.3 and 6.0.1).'),
  entry('tlscfg.value-ignored', 'warning', 'silent', 'Value Kamailio treats as the default',
    'The value is accepted but has no effect of its own, e.g. server_name_mode other than 0, 1 or 2 acts as 0 (exact match).', true),
  entry('tlscfg.config-directory', 'warning', 'fatal-or-silent', 'tls.cfg given as a directory',
    "Kamailio concatenates the folder's regular files, in unsorted readdir() order, into a temporary file configXXXXXX created in its working directory (default /). An unprivileged Kamailio (Debian's systemd unit runs it as user kamailio) cannot create that file and exits with \"cannot make tmp file\"."),
  entry('tlscfg.duplicate-option', 'warning', 'silent', 'Option set twice in one profile',
    'Kamailio silently uses the last value; the earlier line has no effect.', true),
  entry('tlscfg.duplicate-profile', 'error', 'fatal-or-silent', 'Profile defined twice',
    'Two profiles for the same address without server_name make Kamailio exit (unless the duplicate is the last profile, which then silently wins); a second [server:default] silently replaces the first.'),
  entry('tlscfg.any-without-server-name', 'error', 'fatal', 'any-profile without server_name',
    'A [server:any] or [client:any] profile matches only on SNI and must set server_name; Kamailio exits with "tls domain for any address but no server name".', true),
  entry('tlscfg.profile-no-listener', 'error', 'fatal', 'Server profile without a TLS listen socket',
    'Every [server:IP:port] profile needs a listen=tls: socket on that IP and port (0 = any port); otherwise Kamailio exits with "No listening socket found".'),
  entry('tlscfg.no-inherit', 'warning', 'fatal-or-silent', 'Profile falls back to built-in defaults, not [server:default]',
    'Options a profile omits come from the built-in defaults (certificate and private_key cert.pem beside kamailio.cfg, method TLSv1+), never from the default profile of the file.', true),
  entry('tlscfg.missing-default', 'warning', 'fatal-or-silent', 'No [server:default] profile',
    'Kamailio creates an implicit default server profile that loads cert.pem beside kamailio.cfg as certificate and key; start-up fails if that file is missing.', true),

  // kamailio.cfg
  entry('kamcfg.syntax', 'error', 'fatal', 'kamailio.cfg syntax error',
    'Different numbers of #!ifdef/#!ifndef and #!endif (Kamailio counts them; text after #!endif turns it into a comment), unterminated string or block comment, unbalanced braces, an include_file name that is not quoted, or a key or certificate included (include_file/import_file) or read as the main configuration (sip-tls says what the file holds and quotes none of it): Kamailio refuses to start.'),
  entry('kamcfg.unpaired-directive', 'warning', 'silent', 'Preprocessor directive that pairs with nothing',
    'A stray #!endif or #!else, an #!endif that text turns into a comment, or an #!ifdef never closed while a stray #!endif makes the numbers match. Kamailio counts the directives instead of pairing them: it logs "invalid position for preprocessor directive" and starts as long as the numbers of #!if… and #!endif agree — and an #!ifdef left open with a false condition then silently skips the rest of the configuration.'),
  entry('kamcfg.unterminated-comment', 'error', 'silent', 'Block comment never closed',
    'Kamailio logs "unexpected EOF: N comments open" at CRITICAL level but starts, without everything after the opening /* (often the whole request_route).'),
  entry('kamcfg.obsolete-core-param', 'error', 'fatal-or-silent', 'SER/OpenSER-era TLS core parameter',
    'Core TLS settings of SER/OpenSER are either parse errors today or ignored with "tls-in-core support not compiled in"; tls_log even sets the TLS port. Use modparam("tls", …) or tls.cfg.', true),
  entry('kamcfg.bad-listen', 'error', 'fatal', 'Malformed listen address',
    'Kamailio rejects the address ("ip address, interface name or hostname expected"): a truncated IPv4 wildcard, IPv6 with a port but no brackets, or an invalid port.', true),
  entry('kamcfg.port-out-of-range', 'warning', 'silent', 'Listen port above 65535',
    'Kamailio accepts the port but keeps only its low 16 bits (70000 becomes 4464): the socket listens somewhere else than written.'),
  entry('kamcfg.bad-boolean', 'error', 'fatal', 'Invalid boolean in kamailio.cfg',
    'kamailio.cfg booleans are lower-case yes/no/on/off/true/false/enable/disable; Yes or enabled is a parse error ("boolean value expected").', true),
  entry('kamcfg.tls-module-missing', 'error', 'silent', 'TLS enabled but tls.so not loaded',
    'Kamailio starts but disables TLS ("tls support enabled, but no tls engine available"): no TLS socket is opened.', true),
  entry('kamcfg.tls-not-enabled', 'warning', 'silent', 'TLS configured but enable_tls never set',
    'Without enable_tls=yes Kamailio accepts listen=tls: lines silently and opens no TLS socket.', true),
  entry('kamcfg.tls-off', 'information', 'ok', 'TLS is off in this configuration',
    'The TLS statements (enable_tls, loadmodule "tls.so", listen=tls:) are in #!ifdef regions that the current defines switch off, so Kamailio starts without TLS, reads no tls.cfg and loads no certificate — and sip-tls checks none. Check the TLS variant with the define (--define WITH_TLS, sipTls.defines) or a variant in .sip-tls.json.'),
  entry('kamcfg.tls-enable-order', 'error', 'silent', 'enable_tls after loadmodule "tls.so"',
    'tls.so checks enable_tls when it is loaded; set later, Kamailio starts with TLS disabled ("tls support is disabled").', true),
  entry('kamcfg.tls-load-order', 'hint', 'ok', 'A libssl module is loaded before tls.so',
    'The tls module documentation asks to load tls.so before any module that links libssl. Builds against OpenSSL 1.0 then fail to set the OpenSSL memory functions ("Be sure tls module is loaded before any other module using libssl"); with OpenSSL 1.1 and newer the order is harmless (tested on Kamailio 5.6.3 / OpenSSL 3).', true),
  gated(entry('kamcfg.unknown-modparam', 'error', 'fatal', 'Unknown tls module parameter',
    'The tls module does not export this parameter (or not with this type: strings must be quoted, integers not; tls_wolfssl exports a subset, without the password, engine, provider, init_mode and keylog parameters); Kamailio exits with "Can\'t set module parameter".', true),
    'Every version; which parameters exist depends on the version (private_key_password and key_password_mode from 6.0, keylog_* from 6.1; proven on 5.6.3 and 6.0.1) and on the engine (tls_wolfssl: from the source).'),
  entry('kamcfg.modparam-ignored', 'warning', 'silent', 'tls modparam ignored because tls.cfg is used',
    'With modparam("tls", "config", …) every profile comes from tls.cfg; per-profile modparams such as certificate or tls_method have no effect.'),
  entry('kamcfg.modparam-before-loadmodule', 'error', 'fatal', 'modparam before its loadmodule',
    'modparam("tls", …) must come after loadmodule "tls.so", and address the TLS module that is loaded (modparam("tls_wolfssl", …) with tls_wolfssl.so; "tls" does not match it); otherwise Kamailio exits with "No module matching <tls> found".', true),
  entry('kamcfg.bad-modparam-value', 'error', 'fatal', 'Invalid tls modparam value',
    'An unknown tls_method or verify_client value makes Kamailio exit with "Invalid tls_method parameter value".', true),
  entry('kamcfg.unknown-core-param', 'error', 'fatal', 'Unknown core parameter',
    'Kamailio exits with "unknown config variable".', true),
  gated(entry('kamcfg.version-gated', 'error', 'fatal', 'Core syntax needs a newer Kamailio',
    'The core parameter or syntax does not exist in the configured Kamailio version (tls_threads_mode needs 5.7.5 — a backport, so Ubuntu 24.04\'s packaged 5.7.4 lacks it —, socket blocks 5.7, advertise with a protocol 5.8, tls_connection_match_domain 6.1).'),
    'Kamailio before 5.7.5 for tls_threads_mode (Ubuntu 24.04\'s 5.7.4 included), before 5.7 for socket blocks, before 5.8 for advertise with a protocol, before 6.1 for tls_connection_match_domain (proven on 5.6.3 and 6.0.1; 5.7 and 5.8 from the source).'),
  gated(entry('kamcfg.tls-threads-mode', 'warning', 'ok', 'tls_threads_mode leaves OpenSSL 3 state shared',
    'With OpenSSL ≥ 1.1.1, Kamailio\'s main process initialises OpenSSL\'s thread-local state in shared memory and every worker reuses it; with OpenSSL 3 this corrupts shared memory (crash reports kamailio/kamailio#3635, #3791, #3885, #4055, #4778: "freeing already freed pointer … tls_init.c: ser_free"). Core tls_threads_mode=2 (OpenSSL\'s thread-locals are reset at every fork) is what the maintainers recommend (#4055). Kamailio 5.8 and 5.7 from 5.7.5 (PR #3754) default to 0: a warning when it is unset, 0 or 1 with OpenSSL 3 (Ubuntu 24.04\'s 5.7.4 has no such parameter: information to upgrade). From 6.0 the default is 2 and 1 is forced to 2 ("tls_threads_mode=1 is invalid on kamailio version >= 6; forcing tls_threads_mode=2"): an explicit 0 or 1 there is information. Kamailio 5.6 has no tls_threads_mode: writing it is a parse error (kamcfg.version-gated, measured on 5.6.3). From the source and issue reports: no binary here runs 5.7 or 5.8.', true),
    'Kamailio 5.7.5 to 5.8 with OpenSSL 3 (a warning; from the source and issue reports), 6.x (information for an explicit 0 or 1; the forcing warning proven on 6.0.1); not 5.6, which has no such parameter (proven on 5.6.3).'),
  gated(entry('kamcfg.tls-keylog', 'warning', 'ok', 'TLS key logging switched on',
    'Kamailio 6.1 added modparams keylog_mode (bits per the tls module docs: 1 initialise, 2 active, 4 write to the NOTICE log, 8 write to keylog_file), keylog_file and keylog_peer (udp:IP:port): they export the secrets of every TLS session in NSS key log format, so whoever reads the log, the file or the UDP stream decrypts recorded SIP traffic, SDES SRTP keys included. From the source (commit 79f6439f16 and the README of 2025-07); before 6.1 the parameters do not exist and Kamailio exits (kamcfg.unknown-modparam, measured on 5.6.3: "parameter <keylog_mode> of type <2:int> not found in module <tls>"). Fix: keylog_mode 0.', true),
    'Kamailio 6.1 and newer (from the source); before 6.1 the parameter does not exist (proven on 5.6.3 and 6.0.1).'),
  gated(entry('kamcfg.modparam-not-reloaded', 'information', 'ok', 'modparam certificate not reloaded by tls.reload',
    'The tls.reload RPC reloads only the tls.cfg named by modparam("tls", "config", …): without one it answers 500 "No TLS configuration file configured" (measured on Kamailio 5.6.3 with kamcmd; same code in master), so certificates set with modparam("tls", "certificate", …) are read at start-up only and a renewed one takes effect at the next restart. Said only where a reload is likely: an RPC transport (ctl, jsonrpcs, xmlrpc, xhttp_rpc) is loaded, or the certificate is under /etc/letsencrypt/.'),
    'Every version (tls.reload measured on 5.6.3; the same code in master).'),
  gated(entry('kamcfg.tls-engine-conflict', 'error', 'fatal', 'tls.so and tls_wolfssl.so both loaded',
    'tls and tls_wolfssl are mutually exclusive TLS engines (doc/tls_wolfssl.xml). With TLS on, both declare the configuration group "tls" in mod_init; core/cfg/cfg.c refuses the second ("configuration group has been already declared: tls"), the module logs "failed to register the configuration" and Kamailio exits. From the source: no tls_wolfssl build runs here.'),
    'Every version with tls_wolfssl (from the source).'),

  // file references
  entry('path.not-found', 'error', 'fatal-or-silent', 'Referenced file does not exist',
    "The path, resolved as Kamailio resolves it (absolute; './' against workdir; anything else against the main kamailio.cfg's folder) and through the path mappings, does not exist.", true),
  entry('path.unreadable', 'error', 'fatal-or-silent', 'Referenced file cannot be used',
    'The file exists but cannot be read: permission denied, a directory, a device, FIFO or socket, a symbolic link loop or a file over the size limit.'),
  entry('path.workdir-relative', 'warning', 'fatal-or-silent', "Path relative to Kamailio's working directory",
    "A path starting with '.' is opened relative to Kamailio's workdir (default /), not the configuration folder.", true),
  entry('path.deploy-time', 'information', 'deployment', 'File provided at deploy time, not checked',
    'The path is outside the repository and no path mapping covers it: the file exists (or not) on the machine the configuration is deployed to, which is not the machine running the check, so it is not read. Map the deployed folder to a folder of the repository (mappings in .sip-tls.json, sipTls.pathMappings, --map) to check it, or run sip-tls on the server itself (--live).'),

  // certificates, chains, keys, CA lists
  entry('cert.unreadable', 'error', 'fatal', 'No PEM certificate in the file',
    'Kamailio cannot load the certificate ("Unable to load certificate file"): the file is empty, garbage, DER or PKCS#12 (Kamailio reads PEM only), a key or a CSR instead of a certificate, or a damaged PEM (a block without its END line, bad base64, a certificate that does not decode). A file over 1 MiB is not examined (warning).'),
  entry('cert.expired', 'error', 'peer', 'Certificate expired',
    'A certificate of the file Kamailio presents (leaf, intermediate or root) is past its notAfter date: Kamailio starts, peers reject the handshake ("certificate has expired").'),
  entry('cert.not-yet-valid', 'error', 'peer', 'Certificate not yet valid',
    'A certificate of the file Kamailio presents has a notBefore date in the future: peers reject the handshake until then.'),
  entry('cert.expiring-soon', 'warning', 'ok', 'Certificate expires soon',
    'A certificate of the presented chain expires within the configured number of days (sipTls.expiryDays, default 30).'),
  entry('cert.self-signed', 'warning', 'peer', 'Self-signed certificate',
    'Carriers and phones reject a self-signed certificate unless they preload it. `sip-tls lab` creates a test CA and a CA-signed certificate; a certificate your peers do preload belongs in sipTls.trustAnchors.'),
  entry('cert.name-mismatch', 'error', 'peer', 'Certificate does not cover the name',
    "The leaf certificate's SAN (or CN when there is no DNS SAN) does not cover the profile's server_name (honouring server_name_mode), or a SIP domain (sipTls.sipDomains, alias= host names) that no server profile covers: peers that check names reject it. Kamailio itself never checks names."),
  entry('cert.ip-in-cn-only', 'error', 'peer', 'IP address only in the subject CN',
    "The certificate's only name is an IP address in the subject CN, and it has no subjectAltName. Peers match an address against the subjectAltName's IP entries only (OpenSSL's IP check and SSL_set1_host: \"IP address mismatch\"; Node, GnuTLS and Python alike), and a host name never matches the address in the CN (\"hostname mismatch\"): every peer that checks the name rejects it, whether it connects by address or by name. Kamailio itself never checks names. Issue the certificate with subjectAltName IP:<address> (and DNS: the names peers use)."),
  entry('cert.purpose', 'error', 'peer', 'Certificate purpose does not fit the profile',
    'The extended key usage lacks serverAuth (server profiles) or clientAuth (client profiles that present a certificate), or the key usage allows no TLS use (e.g. only keyCertSign and cRLSign, as in a CA certificate): OpenSSL and Node peers reject it ("unsuitable certificate purpose"; GnuTLS: "Key usage violation" for the key usage). A key usage without digitalSignature for a non-RSA key is a warning. basicConstraints CA:TRUE alone is cert.ca-as-leaf.'),
  entry('cert.ca-as-leaf', 'warning', 'peer', 'CA certificate used as the leaf',
    'The certificate Kamailio presents has basicConstraints CA:TRUE (and is not self-signed). OpenSSL, Node and GnuTLS peers accept it when its key usage fits TLS (measured), but the CA/Browser Forum rules forbid it for server certificates and Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), so WebRTC clients over WSS fail; when no pathLenConstraint above it forbids it, its key can also sign certificates that every peer trusting the same root accepts. On a client profile only that last point is reported. Issue it with basicConstraints CA:FALSE.'),
  gated(entry('cert.weak-key', 'error', 'fatal', 'Key too small for OpenSSL security level 2',
    'RSA/DSA keys under 2048 bits and EC keys under 224 bits, on any certificate of the file, are refused at load time on OpenSSL 3 at security level 2 (Debian, Ubuntu): "ee key too small" for the leaf, "ca key too small" for the others.'),
    'OpenSSL 3 at security level 2 (Debian 12 and 13, Ubuntu 22.04 and 24.04; proven on 5.6.3/OpenSSL 3.0 and 6.0.1/OpenSSL 3.5).'),
  gated(entry('cert.weak-signature', 'error', 'fatal', 'MD5/SHA-1 signature',
    'OpenSSL 3.0 refuses MD5 and SHA-1 signatures on every certificate of the file that is not self-signed ("ca md too weak", even for the leaf) and Kamailio exits; OpenSSL 3.5 loads the file, and then every peer at the default security level rejects the certificate ("CA signature digest algorithm too weak").'),
    'Every OpenSSL 3 platform: Kamailio refuses to start on OpenSSL 3.0 (Debian 12, Ubuntu 22.04/24.04); on OpenSSL 3.5 (Debian 13) it starts and every default peer rejects the certificate (both proven).', { 'debian-13': 'peer' }),
  entry('chain.incomplete', 'error', 'peer', 'Intermediate certificate missing',
    "The leaf's issuer is not in the certificate file and is not a root the peers hold: peers report Unknown CA (\"unable to verify the first certificate\"). OpenSSL completes a file that holds the leaf alone from the profile's own ca_list/ca_path (auto-chain), but not a file that already holds other certificates, and never from another profile's CA list. The fix writes leaf + intermediates to a new <name>.fullchain.pem when the intermediate is found (a ca_list, beside the certificate, the configuration folder).", true),
  entry('chain.order', 'error', 'fatal', 'Certificate file does not start with the leaf',
    'Kamailio takes the first certificate of the file as its own: a file that starts with a CA (a reversed full chain) makes the key check fail and Kamailio exits ("key values mismatch"). The fix writes the chain leaf first to a new file and points certificate at it.', true),
  entry('chain.intermediate-order', 'warning', 'ok', 'Chain certificates out of order after the leaf',
    'After the leaf, each certificate should be followed by its issuer, and nothing else should be there. Kamailio starts and OpenSSL peers build the path anyway (TLS 1.3 allows any order), but stricter TLS 1.2 stacks in phones and SBCs reject the chain. The fix writes the ordered chain to a new file.', true),
  entry('chain.bad-signature', 'error', 'peer', 'Chain signature does not verify',
    "A certificate named like the issuer exists, but its key does not verify the signature (a re-keyed or re-created CA of the same name): peers reject the chain — as a signature failure, or as a missing issuer (\"unable to verify the first certificate\") when the key identifiers differ."),
  entry('chain.untrusted', 'warning', 'peer', 'Chain ends at an untrusted root',
    'The chain is complete but ends at a root (or an issuer) that is neither in a ca_list/ca_path of this configuration, nor in the public root store, nor in the configured trust anchors (sipTls.trustAnchors, --trust).'),
  entry('key.unreadable', 'error', 'fatal', 'No private key in the file',
    'Kamailio cannot load the private key ("Unable to load private key"): the file holds no PEM private key (a certificate, a public key, an OpenSSH key, DER, PKCS#12) or a damaged one. A key and its certificate may share one file, in either order.'),
  gated(entry('key.encrypted', 'error', 'fatal', 'Encrypted private key that Kamailio cannot decrypt',
    'An encrypted key needs private_key_password (Kamailio 6.0+; not applied to modparam-built profiles) that decrypts it. Otherwise Kamailio asks for the pass phrase on a terminal at start-up: a service (systemd) has none and exits ("Unable to load private key", "UI routines::processing error").'),
    'Every version; from 6.0 only when no private_key_password (tls.cfg) or modparam password applies.'),
  gated(entry('key.decryption-cost', 'warning', 'ok', 'Encrypted key sip-tls does not decrypt: its key derivation is over budget',
    'The key derivation the key file asks for (PBKDF2 or PKCS#12 iterations, scrypt N × r × p, read from its header) is more than sip-tls runs for one key (1,000,000 iterations; N × r × p 1,048,576), so the key is not decrypted and not matched against its certificate. OpenSSL has no such limit: Kamailio runs all of it when it loads the key, once for each of its processes before it answers TLS, so every start waits that long (a warning). As information: the header cannot be read, or the check has spent its budget for all keys (4,000,000) on the keys before it. Re-encrypt the key with the defaults (openssl pkcs8 -topk8 -v2 aes-256-cbc: 2,048 iterations) or decrypt it.'),
    'Kamailio 6.0+ with private_key_password (before, the key is not decrypted unattended at all: key.encrypted).'),
  entry('key.mismatch', 'error', 'fatal', 'Private key does not match the certificate',
    'Kamailio will refuse to start: key values mismatch (for a key of another type, e.g. an EC key for an RSA certificate: "Key … does not match the public key of the certificate"). The key must belong to the first certificate of the certificate file. The fix points private_key at a matching key found beside the certificate.', true),
  gated(entry('key.committed', 'warning', 'ok', 'Private key committed to the repository',
    'A private key the configuration loads (private_key, a certificate file that also holds the key, the built-in cert.pem, the private_key modparam) is tracked by git in the repository checked: everyone who can read the repository, its clones and its history holds the key and can impersonate the server. Remove it from the history, rotate the key, and provide it at deploy time. Only files git really tracks count (not untracked or .gitignored ones); the CLI asks git (--no-git: not), the editor only in a trusted workspace.'),
    'Every version and platform: a repository check (never --live) where git runs (trusted workspace, not --no-git).'),
  entry('ca.empty', 'error', 'fatal', 'CA list holds nothing',
    'ca_list holds no certificate and no CRL (or is DER): "Unable to load CA list file". A list of only CRLs fails too: Kamailio cannot build the client CA names from it.'),
  entry('ca.unreadable', 'error', 'fatal', 'CA list or CRL file OpenSSL cannot load',
    'A PEM block of ca_list or crl has no END line, bad base64, or a certificate/CRL that does not decode, or the crl file holds neither a CRL nor a certificate: OpenSSL stops reading and Kamailio exits ("Unable to load CA list file", "Unable to load certificate revocation list").'),
  entry('ca.not-ca', 'warning', 'peer', 'CA list holds a non-CA certificate',
    'A leaf (often your own certificate or fullchain) in ca_list does not make peers trusted: verification needs the CA (root) certificates that issued the peers\' certificates.'),
  entry('ca.no-root', 'error', 'peer', 'CA list holds an intermediate without its root',
    'OpenSSL accepts a peer chain only when it ends at a self-signed root of the trust store (Kamailio does not allow partial chains): with only the intermediate, every peer certificate issued under it fails verification.'),
  entry('ca.path-unhashed', 'warning', 'peer', 'ca_path without OpenSSL hashed names',
    'OpenSSL looks certificates up in a ca_path folder by hashed name (<hash>.0) only; certificate files without those links are never found. An error when the folder is the profile\'s only CA source (no ca_list) and every peer must present a certificate (require_certificate or verify_client = on; a client profile that verifies): every peer is then rejected. Run openssl rehash (or c_rehash) on the folder.'),
  entry('ca.crl-empty', 'error', 'peer', 'crl file holds no CRL',
    'A crl file with certificates but no CRL loads (the certificates silently become trust anchors) and switches CRL checking on: every verified peer certificate then fails ("unable to get certificate CRL"; the client sees "unknown ca"). An error when the profile verifies peers, a warning otherwise.'),
  entry('ca.crl-expired', 'error', 'peer', 'CRL out of date',
    'With crl set and peers verified, a CRL past its nextUpdate (or before its thisUpdate) makes every certificate of its CA fail verification ("CRL has expired").'),
  entry('ca.crl-missing', 'error', 'peer', 'No CRL for a CA of the trust store',
    'crl switches on X509_V_FLAG_CRL_CHECK_ALL: every certificate of a peer chain needs a current CRL from its issuer, so each CA of the trust store needs its CRL in the crl file (or ca_list), otherwise "unable to get certificate CRL".'),

  // TLS policy
  gated(entry('tls.protocol-outdated', 'warning', 'peer', 'TLS versions below 1.2 in the method',
    "Judged by what the platform's OpenSSL negotiates (--platform, \"platform\"): OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level (Debian's OpenSSL 1.1.1 by policy). So a method of TLS 1.0 or 1.1 alone (TLSv1, TLSv1.1, modparam mode without tls_method) completes no handshake: an error; a range from TLS 1.0 (TLSv1+, SSLv23, an omitted method) negotiates TLS 1.2+ only: information. Where TLS 1.0/1.1 can still be negotiated (openssl-1.1 platform, @SECLEVEL=0 in cipher_list) it is a warning: carriers and browsers refuse them, and they allow downgrades. Fix: TLSv1.2+.", true),
    'Error for TLS 1.0/1.1-only methods on every OpenSSL 3 platform (Debian 12 and 13 proven); information for ranges from TLS 1.0 there; a warning on OpenSSL 1.1 without a system policy, or with @SECLEVEL=0.'),
  entry('tls.cipher-weak', 'warning', 'ok', 'Weak ciphers enabled',
    'cipher_list enables RC4, DES/3DES, NULL, EXPORT, MD5 or anonymous suites.', true),
  gated(entry('tls.cipher-invalid', 'error', 'fatal', 'cipher_list OpenSSL rejects',
    'Unknown cipher names, or TLS 1.3 suite names with a method other than TLSv1.3/TLSv1.3+: "Failure to set SSL context cipher list".'),
    'Every version; with TLSv1.3/TLSv1.3+ (5.7+) Kamailio 5.7 to 6.0.1 hands cipher_list to SSL_CTX_set_cipher_list too, 6.0.2+ to SSL_CTX_set_ciphersuites (from the source).'),
  entry('tls.cipher-no-usable-suite', 'error', 'peer', "cipher_list has no suite for the certificate's key",
    "Kamailio accepts a cipher_list as soon as OpenSSL selects one suite from it, but a TLS 1.2 handshake can only use a suite that authenticates with the certificate's key (aRSA suites need an RSA key, aECDSA suites an EC or Ed25519 key; an RSA-PSS key cannot do RSA key exchange) and that needs no PSK or SRP (Kamailio configures neither). With none left, every TLS 1.2 handshake fails: \"no shared cipher\" (measured on Kamailio 5.6.3 with openssl s_client -tls1_2 and a Node TLS client). cipher_list does not restrict TLS 1.3 suites, so with a method that allows TLS 1.3 (TLSv1.2+, TLSv1+) TLS 1.3 peers still connect and only TLS 1.2 peers fail: a warning; with TLSv1.2 no handshake completes: an error. OpenSSL itself is asked which suites remain (its class keywords, no list of names). Fix: put suites for the key first (ECDHE+aECDSA+AESGCM or ECDHE+aRSA+AESGCM).", true),
  entry('tls.cipher-no-ecdhe', 'warning', 'peer', 'No ECDHE suite for TLS 1.2 peers',
    "The TLS 1.2 suites cipher_list leaves (for the certificate's key) use RSA key exchange (no forward secrecy) or DHE, never ECDHE. Peers that accept only ECDHE suites over TLS 1.2 refuse the handshake: Microsoft Teams Direct Routing is described with TLS 1.2 and the suites TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 and TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 only (Microsoft Q&A \"Required cipher suite configuration for SBCs\"; Avaya's Teams guide lists the ECDHE_ECDSA equivalents), and Mozilla's intermediate guideline 6.0 allows only ECDHE suites for TLS 1.2. A peer that connects with RSA key exchange (Bandwidth's default AES128-SHA) is not affected, nor is TLS 1.3. Measured on Kamailio 5.6.3: a TLS 1.2 client offering only ECDHE suites gets \"no shared cipher\". Fix: put ECDHE suites first.", true),
  gated(entry('tls.engine-ignores', 'information', 'silent', 'Setting the TLS engine ignores',
    'With loadmodule "tls_wolfssl.so" method and cipher_list (tls.cfg or modparam) have no effect: tls_wolfssl creates every profile with wolfSSLv23_method() and a minimum of TLS 1.2, and never calls set_cipher_list (src/modules/tls_wolfssl/tls_domain.c; its docs: "Not all configuration keys are implemented (e.g., protocol versions — defaults to 1.2+ and cipher suites)"). The protocol and cipher checks of the OpenSSL engine are therefore not applied; invalid method names are still fatal, as the shared tls.cfg parser rejects them. From the source: no tls_wolfssl build runs here.'),
    'Every version with tls_wolfssl (from the source).'),
  gated(entry('tls.wolfssl-crl-file', 'warning', 'fatal-or-silent', 'tls_wolfssl crl is a file, not a folder',
    'With tls_wolfssl on Kamailio 6.1, crl names a folder of PEM CRL files whose names end in .pem; a crl file keeps Kamailio from starting (kamailio/kamailio#4695, where the maintainer explains it and the reporter confirms the folder works on 6.1). From the issue and the source: no tls_wolfssl build runs here.'),
    'Kamailio 6.1 with tls_wolfssl (from the issue and the source).'),
  entry('tls.verify-off', 'warning', 'ok', 'Client profile does not verify the server',
    'Outgoing TLS connections accept any server certificate: a man in the middle goes unnoticed.', true),
  entry('tls.verify-no-ca', 'error', 'peer', 'Verification without a CA list',
    'Verification is on but the profile has no ca_list/ca_path: every peer certificate check fails.', true),

  // peers: carriers and clients a profile talks to (peers/, rules/peers.ts)
  entry('peer.inferred', 'information', 'ok', 'A peer was inferred for a profile',
    "sip-tls found a peer's host name in a quoted literal of kamailio.cfg (a $du/$ru assignment, t_relay_to_tls, a uac registration) — or websocket.so with TLS on, for browsers — and judges the profile Kamailio uses for it against that peer's requirements: the client profile whose server_name or server_id names the host, else [client:default]; a peer that also connects to us is paired with the server profile when there is only one. Said once per peer. Declare the pairing under \"peers\" in .sip-tls.json (or --peer NAME=PROFILE) to confirm or change it."),
  entry('peer.unknown', 'warning', 'ok', 'A declared peer or profile does not exist',
    'The project file or --peer names a peer that is neither built in (teams, twilio, bandwidth, whatsapp, browsers, modern) nor defined under "peers" in .sip-tls.json, or pairs it with a profile this configuration does not have. Nothing is checked for that declaration.'),
  entry('peer.version-mismatch', 'error', 'peer', 'No TLS version in common with the peer',
    "The TLS versions the profile's method allows on the target platform (OpenSSL 3 negotiates nothing below TLS 1.2 at its default security level) and the versions the peer negotiates do not meet: every handshake fails (\"unsupported protocol\", alert protocol_version). E.g. method = TLSv1.3 toward Bandwidth or Twilio (TLS 1.2 only), or TLSv1.3 toward Teams Direct Routing. Fix: TLSv1.2+.", true),
  entry('peer.no-shared-suite', 'error', 'peer', 'No TLS 1.2 suite in common with the peer',
    "When the handshake is TLS 1.2 (the peer negotiates nothing newer, or our method stops there), the suite must be one the peer accepts and one our cipher_list enables for our certificate's key. OpenSSL itself is asked which of the peer's suites the cipher_list selects (each suite alone: the list with every other suite deleted), so aliases, classes and exclusions are read as Kamailio's OpenSSL reads them. With none, every handshake ends with \"no shared cipher\" (measured on Kamailio with openssl s_client -tls1_2 -cipher set to the peer's suites). Teams accepts four ECDHE-RSA suites only; Bandwidth AES128-SHA, AES128-SHA256 and AES256-SHA256 only (RSA key exchange): a modern-only list fails with Bandwidth. Fix: add the peer's suites to cipher_list.", true),
  entry('peer.no-forward-secret-suite', 'warning', 'peer', 'Only RSA key exchange with a peer that offers ECDHE',
    'The TLS 1.2 suites shared with the peer all use RSA key exchange, although the peer accepts ECDHE suites our cipher_list leaves out: the connection works, without forward secrecy. Put ECDHE suites first.'),
  entry('peer.key-type', 'error', 'peer', "The peer does not accept the certificate's key type",
    "The peer accepts certificates with these key types only (Bandwidth: RSA, \"ECC certificates are not supported\"), or a minimum RSA size, and the profile presents another one. The handshake fails. Fix: present an RSA certificate (certificate2 can hold a second certificate of another type)."),
  entry('peer.certificate-rejected', 'error', 'peer', 'The peer rejects our certificate',
    "The certificate this profile presents to the peer fails the peer's verification: expired, self-signed, issued by a private CA the peer does not trust, a chain the file does not complete (the peer does not fetch intermediates: \"unable to get local issuer certificate\"), an expired certificate in the chain, or — for peers that check DNS names only (Teams, browsers) — no DNS name in the SAN. Judged with the peer's roots: the public root store for carriers and browsers, or the roots a custom peer lists. The generic cert.* and chain.* findings say what is wrong; this one says which peer refuses the handshake."),
  entry('peer.client-certificate-missing', 'error', 'peer', 'The peer requires a client certificate and the profile has none',
    'The peer asks for a client certificate (mutual TLS; Teams Direct Routing checks the SBC certificate on connections the SBC opens) and the client profile used for it presents none: the peer ends the handshake. Fix: give the client profile certificate and private_key (the SBC certificate).'),
  entry('peer.client-certificate-eku', 'error', 'peer', 'Our client certificate is not for client authentication',
    "The peer checks that a client certificate has the clientAuth extended key usage, and the profile's certificate lists other purposes only (\"unsupported certificate purpose\"). Let's Encrypt dropped clientAuth from its default profile on 2026-02-11 (the tlsclient profile ended 2026-07-08), so renewed certificates lose it. Fix: a certificate with clientAuth from a CA that still issues it."),
  entry('peer.client-certificate-required', 'error', 'peer', 'The profile requires a client certificate the peer never sends',
    'The peer connects without a client certificate (WhatsApp: "Meta does NOT support mutual TLS"; browsers over WSS), and the server profile it connects to requires one (require_certificate = yes or verify_client = on): every connection from that peer fails. Fix: require_certificate = no.', true),
  entry('peer.cannot-verify', 'error', 'peer', "Our trust store lacks the peer's roots",
    "The profile verifies the peer's certificate, and its ca_list/ca_path holds none of the roots the peer's certificates chain to (or only an expired one: Baltimore CyberTrust Root, which Teams used until it expired on 2025-05-12): every certificate of the peer fails verification and no connection succeeds. Fix: add the roots (the system bundle holds them)."),
  entry('peer.roots-incomplete', 'warning', 'peer', "Our trust store lacks some of the peer's roots",
    "The peer's certificates chain to one of several roots and it rotates among them (Teams: DigiCert Global Root G2 and CA, G3, TLS ECC P384 Root G5, TLS RSA4096 Root G5, Microsoft ECC/RSA Root Certificate Authority 2017); the trust store holds some, not all: the next rotation breaks verification. Fix: add the missing roots."),
  entry('peer.srtp-suite', 'warning', 'peer', 'The SRTP crypto suites offered are none the peer accepts',
    "An rtpengine_offer/rtpengine_manage call offers SRTP (RTP/SAVP or RTP/SAVPF) with SDES flags that leave none of the crypto suites the peer accepts: SDES-only-SUITE keeps just the named suites, SDES-no-SUITE removes suites from rtpengine's default (all it supports), SDES-off offers none. The peer answers the offer with 488 Not Acceptable Here (Twilio accepts AES_CM_128_HMAC_SHA1_80 and _32 only). A warning: sip-tls cannot tell which offers go to the peer, only that this one would fail there. Fix: offer one of the peer's suites (e.g. SDES-only-AES_CM_128_HMAC_SHA1_80)."),
  // the repository and its deployment
  entry('tls.verify-depth-short', 'error', 'peer', 'verify_depth below the depth of the client CA hierarchy',
    'verify_depth caps the number of intermediate CAs between a peer certificate and its root (OpenSSL SSL_CTX_set_verify_depth: 0 = issued by the root itself, 1 = one intermediate, …). A server profile that verifies client certificates and holds intermediate CAs in its trust store rejects every client they issue when the depth is smaller (OpenSSL: "certificate chain too long"; Kamailio logs "certificate verify failed", the client gets the alert "unknown ca"). An error when every issuing CA of the store is too deep and client certificates are required, a warning otherwise.', true),
  entry('project.invalid', 'warning', 'ok', 'Project file entry sip-tls cannot use',
    'An entry of .sip-tls.json has the wrong type, an unknown key or code, or names a path outside the folder of the project file (a project file is repository content: it may only map deployed paths to folders of its own repository). The entry is ignored; the rest of the file applies.'),
  entry('project.layout-assumed', 'information', 'deployment', 'Deployed layout assumed',
    'No mapping says where the repository is deployed, so sip-tls assumed one from the repository itself: a docker-compose volume or Dockerfile COPY, or a tls.cfg beside the kamailio.cfg that names it with an absolute path. Make it explicit in .sip-tls.json ("mappings"), with sipTls.pathMappings or --map.'),
  entry('project.template', 'information', 'deployment', 'Template placeholders not rendered',
    'The file holds placeholders a template engine fills in at deploy time (${VAR}, {{ var }}, %VAR%, @VAR@, __VAR__, #!defenv): what depends on them is unknown until rendered and is not judged. Give their values with --var NAME=VALUE or "vars" in .sip-tls.json to check them.'),
  entry('project.not-checked', 'information', 'ok', 'File not checked',
    'A file asked for by name is not a Kamailio configuration sip-tls checks (an OpenSSL configuration, a PEM file), or Kamailio never reads it in this deployment.'),
  entry('project.check-limit', 'warning', 'ok', 'Part of the configuration was not checked',
    'A budget sip-tls keeps against hostile repositories was crossed (files or folders walked, preprocessor work, check time): the finding says which budget, where it stopped and what was left unchecked. Kamailio itself has no such limit.'),
  entry('project.internal-error', 'warning', 'ok', 'A check failed inside sip-tls',
    'One rule or one directive could not be checked because sip-tls failed on it; every other rule still ran and its findings are shown. Please report the message.'),
  // suppression comments (core/suppressions.ts)
  entry('suppression.no-reason', 'warning', 'ok', 'A suppression without a reason',
    "A '# sip-tls: ignore CODE' comment gives no reason after ' -- '. It still suppresses the finding, but the next reader cannot tell a deliberate exception from a silenced problem. Kamailio reads the line as a comment."),
  entry('suppression.unused', 'information', 'ok', 'A suppression that suppresses nothing',
    "A '# sip-tls: ignore CODE' comment names a code that has no finding on its line (or, alone on a line, on the next line; with ignore-file, in its file): the problem was fixed or the comment is on the wrong line. Kamailio reads the line as a comment."),
  entry('suppression.unknown-code', 'warning', 'ok', 'A suppression names no known code',
    "A '# sip-tls: ignore' comment names no code, or a code sip-tls does not have (sip-tls explain lists them), so it suppresses nothing. Kamailio reads the line as a comment."),

  // media
  entry('srtp.sdes-without-tls', 'warning', 'ok', 'SDES keys over a signalling path without TLS',
    'rtpengine/rtpproxy flags offer SDES keying while the configuration has no TLS listener: the SRTP keys travel in clear SDP.'),
];

export const CATALOG: readonly CatalogEntry[] = ENTRIES.map((e) => (EXAMPLES[e.code] ? { ...e, example: EXAMPLES[e.code] } : e));

const BY_CODE = new Map(CATALOG.map((e) => [e.code, e]));

export function catalogEntry(code: string): CatalogEntry {
  const e = BY_CODE.get(code);
  if (!e) throw new Error(`unknown diagnostic code ${code}`);
  return e;
}

export function isKnownCode(code: string): boolean {
  return BY_CODE.has(code);
}

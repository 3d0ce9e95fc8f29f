// Help texts of the command line.
import { DEFAULT_VERSION, KNOWN_VERSIONS } from '../core/version';
import { PLATFORM_IDS } from '../core/platform';

export const MAIN_HELP = `sip-tls — lint Kamailio TLS configurations (kamailio.cfg, tls.cfg, certificates, keys)

Usage:
  sip-tls check [PATH ...] [options]     lint configurations (default PATH: current folder)
  sip-tls explain [CODE ...]             what a diagnostic code means, an example, the fix (no CODE: list all)
  sip-tls init [DIR]                     write DIR/.sip-tls.json: how the repository is deployed
  sip-tls show FILE [--ca FILE]          certificate/chain/key report for one PEM file
  sip-tls fullchain CERT [--ca FILE]     write CERT's leaf + intermediates, leaf first, to a new file
  sip-tls probe HOST[:PORT] [options]    live TLS handshake to a SIP server, optional SIP OPTIONS
  sip-tls lab DIR [options]              generate a lab PKI: root CA, intermediate, server (+ client) certificates
  sip-tls serve --stdio                  run the language server for any LSP editor
  sip-tls --version | --help
  sip-tls help COMMAND                   help for one command

Exit codes: 0 no finding at the failing level (default: error), 1 findings at or above it,
2 bad usage, nothing to check, or internal failure.
`;

export const CHECK_HELP = `Usage: sip-tls check [PATH ...] [options]

PATH is a kamailio.cfg, a tls.cfg or a folder (default: the current folder). A folder is searched,
not into node_modules or .git, for kamailio*.cfg, files whose first line is #!KAMAILIO, and
tls*.cfg. A kamailio.cfg brings in the fragments and the tls.cfg it loads; a file found in a
folder that no main configuration loads is skipped (Kamailio never reads it).

The repository is not the machine: a configuration in a repository is checked against the
repository only. A path outside it that no mapping covers is provided at deploy time and not
read from this machine (an information says so). The nearest .sip-tls.json (see sip-tls init)
describes the deployment; the options below go on top of it. A configuration under /etc or
/usr/local/etc outside a repository is the live one of this machine, and so is anything with
--live: then every path is read as Kamailio would.

Options:
  --format FORMAT                  output format: text (default: per file, each finding as
                                   file:line:col severity code message, its source line underlined,
                                   then the count per severity and the files checked), json, sarif,
                                   github (Actions annotations), gitlab (Code Quality report),
                                   junit (JUnit XML)
  -q, --quiet                      list errors only (the exit code still counts everything)
  --fix                            apply the fixes that need no choice (configuration text only),
                                   each re-checked, then report what remains
  --fix-dry-run                    write nothing: print those fixes as a unified diff
  --color, --no-color              colour or not (default: on a terminal, unless NO_COLOR is set)
  --platform ID                    the platform deployed on: ${PLATFORM_IDS.join(', ')}
                                   (fixes the Kamailio version and what its OpenSSL negotiates)
  --kamailio-version X.Y           target Kamailio version (${KNOWN_VERSIONS.join(', ')}; default: the platform's, else ${DEFAULT_VERSION})
  --now ISO-8601                   evaluate certificate validity at this instant
  --expiry-days N                  warn when a certificate expires within N days (default 30)
  --trust FILE                     extra trust anchor (PEM), repeatable
  --peer NAME[=PROFILE]            judge PROFILE (server:default, client:default, …) against a peer's
                                   requirements: teams, twilio, bandwidth, whatsapp, browsers,
                                   modern, or one of the project file's "peers"; repeatable
  --map DEPLOYED=LOCAL             path mapping, repeatable (e.g. --map /etc/kamailio=./etc/kamailio)
  --severity CODE=LEVEL            override a code's severity: error, warning, information, hint, off; repeatable
  --define NAME[=VALUE]            preprocessor define, like kamailio -A; repeatable
  --workdir DIR                    Kamailio's working directory as deployed (default /)
  --var NAME=VALUE                 value of a template placeholder (\${NAME}, {{ NAME }}, …) or #!defenv variable; repeatable
  --variant NAME                   check only this variant of the project file; repeatable (default: all)
  --live                           this machine is the server: read every absolute path from it
  --no-git                         run no program: do not ask git which private keys the repository tracks
  --fail-on error|warning|information
                                   the lowest severity that fails the check (default error)
  --max-warnings N                 also fail on more than N warnings (as eslint; -1: no limit)
  - --stdin-filename PATH          check standard input as the file PATH (an editor's unsaved buffer;
                                   PATH decides kamailio.cfg or tls.cfg, relative paths, .sip-tls.json)
  -h, --help                       this help

Exit codes: 0 no finding at the failing level; 1 findings at or above it (or more warnings than
--max-warnings); 2 bad usage, nothing to check (a folder without configurations, a named file
that is a key, a certificate, Markdown, JSON or YAML — said on stderr), or internal failure.
`;

export const EXPLAIN_HELP = `Usage: sip-tls explain [CODE ...]

For each CODE (e.g. tlscfg.unknown-option): what Kamailio does with the input behind it, its
default severity, how to fix it and whether the editor offers a quick fix, a configuration that
triggers it (when the code has a one-file example), and the Kamailio versions and platforms it
applies to. Without a CODE: every code with its default severity and summary. The text is the
catalog's, the same as docs/diagnostics.md and the editor's hovers.

Exit codes: 0 explained, 2 an unknown code (the closest known one is suggested).
`;

export const INIT_HELP = `Usage: sip-tls init [DIR] [options]

Writes DIR/.sip-tls.json (default DIR: the current folder) from what the repository says: its main
configurations, where its folders are deployed (docker-compose volumes, Dockerfile COPY, a tls.cfg
beside the kamailio.cfg that names it), the define that turns TLS on, the Kamailio version of its
images and the template variables it uses — each with a comment saying where it was found.
sip-tls check and the editor read the file for every configuration below DIR.

Options:
  --dry-run                        print the file instead of writing it
  --force                          replace an existing .sip-tls.json
  -h, --help                       this help

Exit codes: 0 written (or printed), 2 bad usage or an existing file not replaced.
`;

export const SHOW_HELP = `Usage: sip-tls show FILE [options]

What FILE holds (certificates, keys, CRLs; PEM or DER), every certificate in detail (subject,
issuer, names, validity, key, signature, usages, serial, SHA-256), the chain a peer builds from it,
whether the key in the file matches, and the problems. Never prints key material.

Options:
  --ca FILE                        trust these CA certificates (repeatable; default: public roots only)
  --format text|json|markdown      output format (default text)
  --now ISO-8601                   judge validity at this instant
  --expiry-days N                  report a leaf that expires within N days (default 30)

Exit codes: 0 nothing wrong, 1 problems listed, 2 bad usage or a file that cannot be examined.
`;

export const FULLCHAIN_HELP = `Usage: sip-tls fullchain CERT [options]

Writes the leaf of CERT followed by its intermediates (found in CERT, the --ca files and the PEM
files beside CERT), leaf first and without the root, to CERT's stem + .fullchain.pem: the file
Kamailio's certificate option must name, since Kamailio sends exactly that file.

Options:
  --ca FILE                        where else to look for intermediates (repeatable)
  --out FILE                       write here instead
  --force                          replace an existing file or link (otherwise refused)

Exit codes: 0 written and complete, 1 written but an issuer is missing, 2 bad usage, refused or
not writable (one line; nothing written).
`;

export const SERVE_HELP = `Usage: sip-tls serve --stdio

Runs the sip-tls language server over standard input/output for any LSP editor (Neovim, Helix,
Emacs, Sublime Text, Kate). --node-ipc, --socket=PORT and --pipe=NAME also work.
`;

export const LAB_HELP = `Usage: sip-tls lab DIR [options]

Generates a lab PKI for SIP over TLS in DIR: rootCA.crt, intermediate.crt, server.crt, server.key
(mode 0600), fullchain.crt (server + intermediate), optionally client.crt/client.key for mutual
TLS, and tls.cfg.example that uses them. Then prints the openssl command that proves the chain.
Existing files are never overwritten unless --force is given (a symbolic link is replaced
itself, never written through; a folder is never replaced). Everything is written, or nothing:
a file-system problem is one line and exit code 2.

Options:
  --domain NAME       DNS name for the server certificate (repeatable; the first is the CN;
                      default sip.example.com)
  --ip ADDR           IP address for the server certificate (repeatable)
  --days N            validity of the server/client certificates in days (default 365)
  --key rsa|ec        key type: RSA 2048 or ECDSA P-256 (default rsa)
  --client NAME       also issue a client certificate with this CN (mutual TLS)
  --force             overwrite existing files
`;

export const PROBE_HELP = `Usage: sip-tls probe HOST[:PORT] [options]

Connects to a SIP server over TLS (like openssl s_client; default port 5061) and reports what a
SIP peer would see: protocol and cipher, the certificate chain exactly as the server sends it
(subject, issuer, validity, SANs, SHA-256), whether the chain verifies and why not, whether the
certificate matches the name, whether the server asks for a client certificate (and which CAs it
accepts), and with --options the answer to a SIP OPTIONS request. It connects only to HOST.
HOST may be a name, an IPv4 address or [IPv6]; an IP address sends no SNI.

Options:
  --peer NAME              connect as that peer does (teams, twilio, bandwidth, whatsapp,
                           browsers, modern): its TLS versions and suites; explicit options win
  --servername NAME        SNI and the name the certificate must match (default HOST)
  --ca FILE                trust these CA certificates (PEM) instead of the public roots
  --cert FILE --key FILE   client certificate (chain) and key for mutual TLS
  --min-version V          lowest TLS version to offer: TLSv1.2 or TLSv1.3
  --max-version V          highest TLS version to offer: TLSv1.2 or TLSv1.3
  --cipher LIST            OpenSSL cipher list (TLS 1.2 ciphers and TLS 1.3 suites)
  --options                send a SIP OPTIONS request and report the final status line
  --timeout MS             budget for connect + handshake + SIP answer (default 5000)
  --format text|json       output format (default text; json: one document, "version": 1)
  -h, --help               this help

Exit codes: 0 handshake done, chain trusted, name matches (and with --options a final SIP
response arrived); 1 anything else (refused, timed out, untrusted, wrong name, no answer);
2 bad usage or an unreadable --ca/--cert/--key.
`;

export function helpFor(topic: string | undefined): string {
  switch (topic) {
    case 'check':
      return CHECK_HELP;
    case 'init':
      return INIT_HELP;
    case 'explain':
      return EXPLAIN_HELP;
    case 'serve':
      return SERVE_HELP;
    case 'lab':
      return LAB_HELP;
    case 'probe':
      return PROBE_HELP;
    case 'show':
      return SHOW_HELP;
    case 'fullchain':
      return FULLCHAIN_HELP;
    default:
      return MAIN_HELP;
  }
}

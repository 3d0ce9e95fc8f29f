// Help texts of the command line.
import { DEFAULT_VERSION, KNOWN_VERSIONS } from '../core/version';

export const MAIN_HELP = `sip-tls — lint Kamailio TLS configurations (kamailio.cfg, tls.cfg, certificates, keys)

Usage:
  sip-tls check [PATH ...] [options]     lint configurations (default PATH: current folder)
  sip-tls show FILE [--ca FILE]          certificate/chain/key report for one PEM file (not available yet)
  sip-tls probe HOST[:PORT] [options]    live TLS handshake to a SIP server (not available yet)
  sip-tls lab DIR [options]              generate a lab PKI: root CA, intermediate, server (+ client) certificates
  sip-tls serve --stdio                  run the language server for any LSP editor
  sip-tls --version | --help
  sip-tls help COMMAND                   help for one command

Exit codes: 0 no error-severity finding, 1 at least one error, 2 bad usage or internal failure.
`;

export const CHECK_HELP = `Usage: sip-tls check [PATH ...] [options]

PATH is a kamailio.cfg, a tls.cfg or a folder (default: the current folder). A folder is searched,
not into node_modules or .git, for kamailio*.cfg, files whose first line is #!KAMAILIO, and
tls*.cfg. A kamailio.cfg brings in the fragments and the tls.cfg it loads.

Options:
  --format text|json|sarif         output format (default text: file:line:col severity code message)
  --kamailio-version X.Y           target Kamailio version (${KNOWN_VERSIONS.join(', ')}; default ${DEFAULT_VERSION})
  --now ISO-8601                   evaluate certificate validity at this instant
  --expiry-days N                  warn when a certificate expires within N days (default 30)
  --trust FILE                     extra trust anchor (PEM), repeatable
  --map DEPLOYED=LOCAL             path mapping, repeatable (e.g. --map /etc/kamailio=./etc/kamailio)
  --severity CODE=LEVEL            override a code's severity: error, warning, information, hint, off; repeatable
  --define NAME[=VALUE]            preprocessor define, like kamailio -A; repeatable
  --workdir DIR                    Kamailio's working directory as deployed (default /)
  -h, --help                       this help

Exit codes: 0 no error-severity finding, 1 at least one error, 2 bad usage or internal failure.
`;

export const SERVE_HELP = `Usage: sip-tls serve --stdio

Runs the sip-tls language server over standard input/output for any LSP editor (Neovim, Helix,
Emacs, Sublime Text, Kate). --node-ipc, --socket=PORT and --pipe=NAME also work.
`;

export const LAB_HELP = `Usage: sip-tls lab DIR [options]

Generates a lab PKI for SIP over TLS in DIR: rootCA.crt, intermediate.crt, server.crt, server.key
(mode 0600), fullchain.crt (server + intermediate), optionally client.crt/client.key for mutual
TLS, and tls.cfg.example that uses them. Then prints the openssl command that proves the chain.
Existing files are never overwritten unless --force is given.

Options:
  --domain NAME       DNS name for the server certificate (repeatable; the first is the CN;
                      default sip.example.com)
  --ip ADDR           IP address for the server certificate (repeatable)
  --days N            validity of the server/client certificates in days (default 365)
  --key rsa|ec        key type: RSA 2048 or ECDSA P-256 (default rsa)
  --client NAME       also issue a client certificate with this CN (mutual TLS)
  --force             overwrite existing files
`;

export function helpFor(topic: string | undefined): string {
  switch (topic) {
    case 'check':
      return CHECK_HELP;
    case 'serve':
      return SERVE_HELP;
    case 'lab':
      return LAB_HELP;
    case 'show':
    case 'probe':
      return `sip-tls ${topic} is not available yet.\n`;
    default:
      return MAIN_HELP;
  }
}

// Seed inputs for the fuzzer: the examples/ deployment, the real-world corpus when it is present
// (../shared/corpus, see test/helpers/corpus.ts), and a few hand-written files that pack the
// constructs the parsers find hardest (preprocessor nesting, #!subst, includes, every tls.cfg
// option) into a small space.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../paths';
import { corpusLocation } from '../corpus';

export interface SeedSet {
  kamailio: string[];
  tls: string[];
  /** Certificate and key files of the examples, placed beside every fuzzed deployment. */
  certs: Record<string, Uint8Array>;
  /** Where the seeds came from, for the test log. */
  sources: { examples: number; corpus: number; builtin: number; corpusPresent: boolean };
}

const BUILTIN_KAMAILIO = [
  `#!KAMAILIO
#!define WITH_TLS
#!ifdef WITH_TLS
#!define TLS_PORT 5061
#!substdef "!MY_IP!127.0.0.1!g"
#!else
#!define TLS_PORT 5062
#!endif
#!subst "/CERTDIR/certs/"
#!trydef DBURL "mysql://kamailio:pw@localhost/kamailio"
#!ifndef NO_LISTEN
listen=tls:MY_IP:TLS_PORT
listen=udp:0.0.0.0:5060 advertise 192.0.2.1:5060
listen=tls:[::1]:5061
#!endif
enable_tls=yes
tcp_max_connections=4096
alias="sip.example.com"
loadmodule "sl.so"
loadmodule "tls.so"
modparam("tls", "config", "tls.cfg")
modparam("tls", "tls_method", "TLSv1.2+")
include_file "extra.cfg"
import_file "maybe-missing.cfg"
request_route {
  if (method == "OPTIONS") { sl_send_reply("200", "OK"); exit; }
  $var(x) = "a" + 'b' /* comment */;
  # line comment
  // another
  if ($rU =~ "^\\+?[0-9]{3,}$") { route(RELAY); }
}
route[RELAY] {
  t_relay();
}
`,
  `#!KAMAILIO
loadmodule "tls.so"
enable_tls=1
modparam("tls", "certificate", "/etc/kamailio/certs/server.crt")
modparam("tls", "private_key", "/etc/kamailio/certs/server.key")
modparam("tls", "ca_list", "/etc/kamailio/certs/rootCA.crt")
modparam("tls", "verify_certificate", 1)
modparam("tls", "tls_method", "TLSv1.2+")
listen=tls:127.0.0.1:5061
#!ifdef A
#!ifdef B
#!ifndef C
#!define D "x"
#!endif
#!else
#!redefine D "y"
#!endif
#!endif
`,
];

const BUILTIN_FRAGMENT = `# included fragment
#!ifdef WITH_TLS
listen=tls:127.0.0.1:5063
#!endif
modparam("tls", "low_mem_threshold1", 0)
`;

const BUILTIN_TLS = [
  `[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
certificate = /etc/kamailio/certs/fullchain.crt
private_key = /etc/kamailio/certs/server.key
ca_list = /etc/kamailio/certs/rootCA.crt
cipher_list = "ECDHE-RSA-AES256-GCM-SHA384:!aNULL"
server_name = sip.example.com
server_name_mode = 1
server_id = "edge"

[client:default]
method = TLSv1.2+
verify_certificate = yes
require_certificate = yes
ca_list = /etc/kamailio/certs/rootCA.crt

[server:127.0.0.1:5061]
method = TLSv1.3+
certificate = certs/server.crt
private_key = certs/server.key
crl = certs/crl.pem
ca_path = /etc/ssl/certs

[server:[::1]:5061]
certificate = "./certs/server.crt"
private_key = './certs/server.key'

[client:any]
server_name = carrier.example.net
certificate = certs/client.crt
private_key = certs/client.key
`,
];

const MAX_SEED_BYTES = 256 * 1024;

function readIfSmall(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_SEED_BYTES) return undefined;
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/**
 * All seeds. `maxSeedBytes` leaves out the big corpus files for the short run (a 3,000-line
 * kamailio.cfg costs milliseconds per check, and the short run has a budget of seconds).
 */
export function loadSeeds(options: { maxSeedBytes?: number } = {}): SeedSet {
  const limit = options.maxSeedBytes ?? MAX_SEED_BYTES;
  const examples = path.join(REPO_ROOT, 'examples');
  const kamailio = [...BUILTIN_KAMAILIO, BUILTIN_FRAGMENT];
  const tls = [...BUILTIN_TLS];
  let fromExamples = 0;
  for (const [file, into] of [
    ['kamailio.cfg', kamailio],
    ['tls.cfg', tls],
    ['certs/tls.cfg.example', tls],
  ] as const) {
    const text = readIfSmall(path.join(examples, file));
    if (text !== undefined) {
      into.push(text);
      fromExamples++;
    }
  }
  let fromCorpus = 0;
  const corpus = corpusLocation();
  if (corpus.present) {
    for (const [sub, into] of [
      ['kamailio', kamailio],
      ['tls', tls],
    ] as const) {
      const dir = path.join(corpus.dir, sub);
      if (!existsSync(dir)) continue;
      for (const file of walk(dir)) {
        const text = readIfSmall(file);
        if (text === undefined || text.length > limit) continue;
        into.push(text);
        fromCorpus++;
      }
    }
  }
  const certs: Record<string, Uint8Array> = {};
  const certDir = path.join(examples, 'certs');
  if (existsSync(certDir)) {
    for (const name of readdirSync(certDir)) {
      if (/\.(crt|key|pem)$/.test(name)) certs[name] = new Uint8Array(readFileSync(path.join(certDir, name)));
    }
  }
  return {
    kamailio,
    tls,
    certs,
    sources: { examples: fromExamples, corpus: fromCorpus, builtin: BUILTIN_KAMAILIO.length + 1 + BUILTIN_TLS.length, corpusPresent: corpus.present },
  };
}

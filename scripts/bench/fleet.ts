// Generates a realistic Kamailio TLS edge deployment ("the fleet") into a folder:
//   kamailio.cfg      ~10,000 lines × scale: request_route, failure/onreply routes, one route
//                     block per tenant and carrier, if/else on $ru/$rd/$rU, t_relay, listen=
//                     lines (tls/udp/tcp) and alias= lines
//   routes/*.cfg      include_file fragments with the carrier routes
//   tls.cfg           200 profiles × scale: [server:default], [client:default], [server:IP:5061]
//                     address profiles with server_name, [server:any] SNI profiles, and client
//                     profiles with server_id ([client:any] + server_name, [client:IP:5061])
//   certs/            one leaf + intermediate full chain and key per profile, the CA bundle
// Everything is meant to be correct, as a running fleet mostly is: the checker should report
// (almost) nothing, Kamailio should start, and the openssl script should pass.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetPki, KeyKind } from './pki';

export interface FleetOptions {
  /** ×N: N times the profiles, chains and routing lines of the ×1 fleet (default 1). */
  scale?: number;
  /** Profiles in the ×1 fleet (default 200); tests use fewer. */
  baseProfiles?: number;
  /** Lines of the main kamailio.cfg in the ×1 fleet (default 10,000). */
  baseLines?: number;
}

export type ProfileKind = 'server-default' | 'client-default' | 'server-address' | 'server-sni' | 'client-any' | 'client-address';

export interface FleetProfile {
  kind: ProfileKind;
  header: string;
  /** Absolute paths. */
  certificate: string;
  privateKey: string;
  /** The root that anchors the chain (absolute). */
  root: string;
  /** The name peers check (server_name, or the default's main domain). */
  serverName: string;
  /** 0-based line of `certificate = …` in tls.cfg (for hovers). */
  certificateLine: number;
  /** Column of the value on that line. */
  certificateColumn: number;
}

export interface Fleet {
  dir: string;
  kamailioCfg: string;
  tlsCfg: string;
  fragments: string[];
  /** The CA bundle (both roots): what ca_list points at and what openssl verifies against. */
  caBundle: string;
  profiles: FleetProfile[];
  /** Lines of kamailio.cfg alone, and with its fragments. */
  mainLines: number;
  totalLines: number;
  listenLines: number;
  aliasLines: number;
  /** A TLS socket Kamailio opens (address profile 1), to probe the start-up. */
  probe: { host: string; port: number };
  /** 0-based line in kamailio.cfg of an xlog message in the middle of the file (keystrokes). */
  editLineKamailio: number;
  /** 0-based line in tls.cfg of a comment in the middle profile (keystrokes). */
  editLineTls: number;
}

const TLS_PORT = 5061;

/** 127.A.B.C for address profile `i` (0-based): Linux answers for all of 127.0.0.0/8 on lo. */
function edgeAddress(i: number): string {
  return `127.${10 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

/** A carrier's interconnect address (private peering), for client address profiles. */
function carrierAddress(i: number): string {
  return `10.20.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`;
}

const pad = (n: number, width = 4) => String(n).padStart(width, '0');

interface ProfileCounts {
  address: number;
  sni: number;
  client: number;
}

/** Split `total` profiles: two defaults, 60 % address, 20 % SNI, the rest client profiles. */
function profileCounts(total: number): ProfileCounts {
  const rest = Math.max(3, total - 2);
  const address = Math.max(1, Math.round(rest * 0.6));
  const sni = Math.max(1, Math.round(rest * 0.2));
  return { address, sni, client: Math.max(1, rest - address - sni) };
}

export function generateFleet(dir: string, pki: FleetPki, options: FleetOptions = {}): Fleet {
  const scale = options.scale ?? 1;
  const totalProfiles = (options.baseProfiles ?? 200) * scale;
  const targetLines = (options.baseLines ?? 10_000) * scale;
  const counts = profileCounts(totalProfiles);
  mkdirSync(join(dir, 'certs', 'ca'), { recursive: true });
  mkdirSync(join(dir, 'routes'), { recursive: true });

  // ---- PKI on disk ---------------------------------------------------------------------------
  const caBundle = join(dir, 'certs', 'ca', 'roots.pem');
  writeFileSync(caBundle, pki.roots.map((r) => r.pem).join(''));
  for (const ca of [...pki.roots, ...pki.intermediates]) writeFileSync(join(dir, 'certs', 'ca', ca.file), ca.pem);
  let chainNo = 0;
  const chain = (slug: string, cn: string, dns: string[]) => {
    const n = chainNo++;
    const kind: KeyKind = n % 2 === 0 ? 'rsa' : 'ec';
    // Mostly one-year certificates, every third a 90-day ACME one (still > 30 days left).
    const leaf = pki.leaf({ cn, dns, issuer: n % pki.intermediates.length, kind, validDays: n % 3 === 0 ? 80 : 300 });
    const folder = join(dir, 'certs', slug);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'fullchain.pem'), leaf.fullchainPem);
    writeFileSync(join(folder, 'privkey.pem'), leaf.keyPem, { mode: 0o600 });
    return {
      rel: { certificate: `certs/${slug}/fullchain.pem`, privateKey: `certs/${slug}/privkey.pem` },
      abs: { certificate: join(folder, 'fullchain.pem'), privateKey: join(folder, 'privkey.pem') },
      root: join(dir, 'certs', 'ca', leaf.root.file),
    };
  };

  // ---- tls.cfg -------------------------------------------------------------------------------
  const tls: string[] = [
    '#',
    `# TLS profiles of the edge fleet (generated for the sip-tls benchmark, scale x${scale}).`,
    '# Paths are relative to the folder of kamailio.cfg, as Kamailio resolves them.',
    '#',
    '',
  ];
  const profiles: FleetProfile[] = [];
  const addProfile = (kind: ProfileKind, header: string, serverName: string, c: ReturnType<typeof chain>, options: string[]): void => {
    tls.push(header);
    const certificateLine = tls.length;
    tls.push(`certificate = ${c.rel.certificate}`, `private_key = ${c.rel.privateKey}`, ...options, '');
    profiles.push({
      kind,
      header,
      serverName,
      certificate: c.abs.certificate,
      privateKey: c.abs.privateKey,
      root: c.root,
      certificateLine,
      certificateColumn: 'certificate = '.length,
    });
  };
  const caList = 'ca_list = certs/ca/roots.pem';

  tls.push('# Fallback for connections no other profile matches');
  addProfile('server-default', '[server:default]', 'sip.example.com', chain('default', 'sip.example.com', ['sip.example.com', 'example.com']), [
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
  ]);
  tls.push('# Outgoing connections to peers without a profile of their own');
  addProfile('client-default', '[client:default]', 'edge.example.com', chain('client-default', 'edge.example.com', ['edge.example.com']), [
    'method = TLSv1.2+',
    'verify_certificate = yes',
    'require_certificate = yes',
    caList,
  ]);

  const edges: { ip: string; name: string }[] = [];
  for (let i = 0; i < counts.address; i++) {
    const ip = edgeAddress(i);
    const name = `sbc-${pad(i + 1)}.pop${(i % 12) + 1}.example.com`;
    edges.push({ ip, name });
    // Every fifth edge faces trunk customers and requires their client certificates (mTLS).
    const mtls = i % 5 === 4;
    tls.push(`# Edge ${i + 1}: public SBC address ${ip}`);
    addProfile('server-address', `[server:${ip}:${TLS_PORT}]`, name, chain(`edge-${pad(i + 1)}`, name, [name]), [
      'method = TLSv1.2+',
      `server_name = ${name}`,
      ...(mtls ? ['verify_certificate = yes', 'require_certificate = yes', caList] : ['verify_certificate = no', 'require_certificate = no']),
    ]);
  }
  const tenants: string[] = [];
  for (let i = 0; i < counts.sni; i++) {
    const domain = `sip.tenant${i + 1}.example.net`;
    tenants.push(domain);
    tls.push(`# Tenant ${i + 1}: hosted PBX, selected by SNI on any socket`);
    addProfile('server-sni', '[server:any]', domain, chain(`tenant-${pad(i + 1)}`, domain, [domain, `tenant${i + 1}.example.net`]), [
      'method = TLSv1.2+',
      `server_name = ${domain}`,
      'verify_certificate = no',
      'require_certificate = no',
    ]);
  }
  const carriers: { id: string; host: string; ip: string }[] = [];
  for (let i = 0; i < counts.client; i++) {
    const id = `carrier${i + 1}`;
    const host = `sbc.${id}.example.org`;
    const ip = carrierAddress(i);
    carriers.push({ id, host, ip });
    // Our client certificate towards the carrier; the carrier's server certificate is verified
    // against the CA bundle. One in four carriers is pinned by its interconnect address.
    const byAddress = i % 4 === 3;
    tls.push(`# Carrier ${i + 1}: outbound trunk, chosen with $xavp(tls=>server_id)`);
    addProfile(
      byAddress ? 'client-address' : 'client-any',
      byAddress ? `[client:${ip}:${TLS_PORT}]` : '[client:any]',
      host,
      chain(`trunk-${pad(i + 1)}`, `trunk-${pad(i + 1)}.edge.example.com`, [`trunk-${pad(i + 1)}.edge.example.com`]),
      ['method = TLSv1.2+', `server_name = ${host}`, `server_id = ${id}`, 'verify_certificate = yes', 'require_certificate = yes', caList],
    );
  }
  // A comment line in the middle profile: where the tls.cfg keystrokes are typed.
  const middle = profiles[Math.floor(profiles.length / 2)]!;
  const editLineTls = middle.certificateLine - 1;
  tls.splice(editLineTls, 0, '# note: renewed by the ACME job');
  for (const p of profiles) if (p.certificateLine >= editLineTls) p.certificateLine++;
  const tlsCfg = join(dir, 'tls.cfg');
  writeFileSync(tlsCfg, tls.join('\n') + '\n');

  // ---- routing script ------------------------------------------------------------------------
  const routing = generateRouting({ scale, targetLines, edges, tenants, carriers });
  const kamailioCfg = join(dir, 'kamailio.cfg');
  writeFileSync(kamailioCfg, routing.main.join('\n') + '\n');
  const fragments: string[] = [];
  let fragmentLines = 0;
  for (const [name, text] of routing.fragments) {
    const file = join(dir, 'routes', name);
    writeFileSync(file, text.join('\n') + '\n');
    fragments.push(file);
    fragmentLines += text.length;
  }
  return {
    dir,
    kamailioCfg,
    tlsCfg,
    fragments,
    caBundle,
    profiles,
    mainLines: routing.main.length,
    totalLines: routing.main.length + fragmentLines,
    listenLines: routing.listenLines,
    aliasLines: routing.aliasLines,
    probe: { host: edges[0]!.ip, port: TLS_PORT },
    editLineKamailio: routing.editLine,
    editLineTls,
  };
}

interface RoutingInput {
  scale: number;
  targetLines: number;
  edges: { ip: string; name: string }[];
  tenants: string[];
  carriers: { id: string; host: string; ip: string }[];
}

interface Routing {
  main: string[];
  fragments: [string, string[]][];
  listenLines: number;
  aliasLines: number;
  editLine: number;
}

function carrierRoute(c: { id: string; host: string; ip: string }, n: number): string[] {
  return [
    `# Carrier ${n}: outbound trunk over TLS (client profile server_id ${c.id})`,
    `route[TO_${c.id.toUpperCase()}] {`,
    '\tif (!is_method("INVITE|BYE|CANCEL|ACK|UPDATE|OPTIONS|PRACK|INFO")) {',
    '\t\tsl_send_reply("405", "Method Not Allowed");',
    '\t\texit;',
    '\t}',
    `\t$xavp(tls=>server_name) = "${c.host}";`,
    `\t$xavp(tls[0]=>server_id) = "${c.id}";`,
    `\t$ru = "sip:" + $rU + "@${c.host}:5061;transport=tls";`,
    `\t$du = "sip:${c.ip}:5061;transport=tls";`,
    '\tif ($rU =~ "^\\+?44") {',
    `\t\tappend_hf("X-Route: uk-${n}\\r\\n");`,
    '\t} else if ($rU =~ "^\\+?1") {',
    `\t\tappend_hf("X-Route: nanp-${n}\\r\\n");`,
    '\t} else {',
    `\t\tappend_hf("X-Route: intl-${n}\\r\\n");`,
    '\t}',
    '\tt_on_failure("CARRIER_FAILURE");',
    '\tt_on_reply("CARRIER_REPLY");',
    '\tif (!t_relay()) {',
    `\t\txlog("L_ERR", "relay to ${c.id} failed for $ru (from $fu)\\n");`,
    '\t\tsl_reply_error();',
    '\t}',
    '\texit;',
    '}',
    '',
  ];
}

function tenantRoute(n: number, domain: string, carrier: string): string[] {
  return [
    `# Tenant ${n}: hosted PBX ${domain}`,
    `route[TENANT_${pad(n)}] {`,
    '\tif (is_method("REGISTER")) {',
    '\t\tif ($proto != "tls") {',
    '\t\t\tsl_send_reply("403", "Use TLS");',
    '\t\t\texit;',
    '\t\t}',
    '\t\tif (!save("location")) {',
    '\t\t\tsl_reply_error();',
    '\t\t}',
    '\t\texit;',
    '\t}',
    '\tif ($rU == $null) {',
    '\t\tsl_send_reply("484", "Address Incomplete");',
    '\t\texit;',
    '\t}',
    '\tif ($rU =~ "^[0-9]{3,4}$") {',
    `\t\t$ru = "sip:" + $rU + "@${domain}";`,
    '\t\tif (!lookup("location")) {',
    '\t\t\tsl_send_reply("404", "Not Found");',
    '\t\t\texit;',
    '\t\t}',
    '\t\troute(RELAY);',
    '\t} else if ($rU =~ "^\\+?[1-9][0-9]{7,14}$") {',
    `\t\t$avp(tenant) = "tenant${n}";`,
    `\t\txlog("L_INFO", "tenant${n}: outbound $rm from $fU to $rU via $rd\\n");`,
    `\t\troute(TO_${carrier.toUpperCase()});`,
    '\t} else {',
    '\t\tsl_send_reply("404", "Unknown Number");',
    '\t\texit;',
    '\t}',
    '}',
    '',
  ];
}

function generateRouting(input: RoutingInput): Routing {
  const { edges, tenants, carriers } = input;
  const head: string[] = [
    '#!KAMAILIO',
    '#',
    `# Edge proxy of the example fleet (generated for the sip-tls benchmark, scale x${input.scale}):`,
    '# TLS towards hosted PBX tenants (SNI) and trunk customers (per-address SBC profiles),',
    '# TLS client profiles towards carriers selected with $xavp(tls=>server_id).',
    '#',
    '',
    '####### Global parameters #########',
    'debug=2',
    'log_stderror=no',
    'log_facility=LOG_LOCAL0',
    'fork=yes',
    'children=4',
    'tcp_children=4',
    // Every TLS profile gets an OpenSSL context per process in shared memory: 64 MB is too little.
    'shm_mem_size=1024',
    'auto_aliases=no',
    'tcp_connection_lifetime=3605',
    'tcp_max_connections=4096',
    'tls_max_connections=4096',
    'server_header="Server: Example Edge"',
    'user_agent_header="User-Agent: Example Edge"',
    '',
    '# enable_tls before loadmodule "tls.so": the module reads it when it is loaded',
    'enable_tls=yes',
    '',
    '####### Listen sockets #########',
    'listen=udp:127.0.0.1:5060',
    'listen=tcp:127.0.0.1:5060',
  ];
  let listenLines = 2;
  edges.forEach((e, i) => {
    head.push(`listen=tls:${e.ip}:${TLS_PORT}`);
    listenLines++;
    // Every twelfth edge also takes SIP over TCP from legacy phones. Not UDP: Kamailio forks
    // `children` processes per UDP socket, and each process loads every TLS profile again.
    if (i % 12 === 0) {
      head.push(`listen=tcp:${e.ip}:5060`);
      listenLines++;
    }
  });
  head.push('', '####### Aliases: the domains this proxy is responsible for #########', 'alias="sip.example.com"');
  let aliasLines = 1;
  for (const t of tenants) {
    head.push(`alias="${t}"`);
    aliasLines++;
  }
  head.push(
    '',
    '####### Modules #########',
    'loadmodule "tls.so"',
    'loadmodule "kex.so"',
    'loadmodule "corex.so"',
    'loadmodule "tm.so"',
    'loadmodule "tmx.so"',
    'loadmodule "sl.so"',
    'loadmodule "rr.so"',
    'loadmodule "pv.so"',
    'loadmodule "maxfwd.so"',
    'loadmodule "usrloc.so"',
    'loadmodule "registrar.so"',
    'loadmodule "textops.so"',
    'loadmodule "siputils.so"',
    'loadmodule "xlog.so"',
    'loadmodule "sanity.so"',
    '',
    'modparam("tls", "config", "tls.cfg")',
    'modparam("tls", "xavp_cfg", "tls")',
    'modparam("tm", "failure_reply_mode", 3)',
    'modparam("tm", "fr_timer", 30000)',
    'modparam("tm", "fr_inv_timer", 120000)',
    'modparam("rr", "enable_full_lr", 0)',
    'modparam("rr", "append_fromtag", 0)',
    'modparam("registrar", "method_filtering", 1)',
    'modparam("registrar", "max_expires", 3600)',
    'modparam("usrloc", "db_mode", 0)',
    '',
    '####### Routing logic #########',
    'request_route {',
    '\troute(REQINIT);',
    '\tif (is_method("CANCEL")) {',
    '\t\tif (t_check_trans()) {',
    '\t\t\troute(RELAY);',
    '\t\t}',
    '\t\texit;',
    '\t}',
    '\tif (!is_method("ACK")) {',
    '\t\tif (t_precheck_trans()) {',
    '\t\t\tt_check_trans();',
    '\t\t\texit;',
    '\t\t}',
    '\t\tt_check_trans();',
    '\t}',
    '\troute(WITHINDLG);',
    '\tremove_hf("Route");',
    '\tif (is_method("INVITE|SUBSCRIBE")) {',
    '\t\trecord_route();',
    '\t}',
    '\tif (is_method("OPTIONS") && uri == myself && $rU == $null) {',
    '\t\tsl_send_reply("200", "Keepalive");',
    '\t\texit;',
    '\t}',
    '\troute(DISPATCH_TENANT);',
    '\troute(DISPATCH_CARRIER);',
    '\tsl_send_reply("404", "No Route");',
    '\texit;',
    '}',
    '',
    'route[RELAY] {',
    '\tif (is_method("INVITE|BYE|UPDATE")) {',
    '\t\tt_on_reply("CARRIER_REPLY");',
    '\t}',
    '\tif (!t_relay()) {',
    '\t\tsl_reply_error();',
    '\t}',
    '\texit;',
    '}',
    '',
    'route[REQINIT] {',
    '\tif (!mf_process_maxfwd_header("10")) {',
    '\t\tsl_send_reply("483", "Too Many Hops");',
    '\t\texit;',
    '\t}',
    '\tif (!sanity_check("17895", "7")) {',
    '\t\txlog("L_WARN", "malformed request from $si:$sp\\n");',
    '\t\texit;',
    '\t}',
    '}',
    '',
    'route[WITHINDLG] {',
    '\tif (!has_totag()) {',
    '\t\treturn;',
    '\t}',
    '\tif (loose_route()) {',
    '\t\troute(RELAY);',
    '\t\texit;',
    '\t}',
    '\tif (is_method("ACK")) {',
    '\t\tif (t_check_trans()) {',
    '\t\t\troute(RELAY);',
    '\t\t\texit;',
    '\t\t}',
    '\t\texit;',
    '\t}',
    '\tsl_send_reply("404", "Not here");',
    '\texit;',
    '}',
    '',
    'failure_route[CARRIER_FAILURE] {',
    '\tif (t_is_canceled()) {',
    '\t\texit;',
    '\t}',
    '\tif (t_check_status("408|5[0-9][0-9]")) {',
    '\t\txlog("L_WARN", "carrier failure $T_reply_code for $ru\\n");',
    '\t}',
    '}',
    '',
    'onreply_route[CARRIER_REPLY] {',
    '\tif (status =~ "18[03]") {',
    '\t\txlog("L_DBG", "early media for $ci\\n");',
    '\t}',
    '}',
    '',
  );

  // Carrier routes live in include_file fragments, four routes per file on average.
  const fragments: [string, string[]][] = [];
  const perFragment = Math.max(1, Math.ceil(carriers.length / (4 * input.scale)));
  for (let i = 0; i < carriers.length; i += perFragment) {
    const name = `carriers-${pad(fragments.length + 1, 2)}.cfg`;
    const text = [`# Carrier routes ${i + 1}-${Math.min(carriers.length, i + perFragment)} (included by kamailio.cfg)`, ''];
    carriers.slice(i, i + perFragment).forEach((c, j) => text.push(...carrierRoute(c, i + j + 1)));
    fragments.push([name, text]);
    head.push(`include_file "routes/${name}"`);
  }
  head.push('');

  // Carrier selection by destination prefix: a flat list of ifs (Kamailio's grammar nests every
  // `else if`, and a 300-deep chain is not how people write it).
  const dispatchCarrier = ['route[DISPATCH_CARRIER] {'];
  carriers.forEach((c, i) => {
    dispatchCarrier.push(`\tif ($rU =~ "^\\+?${100 + i}[0-9]{6,}$") {`, `\t\troute(TO_${c.id.toUpperCase()});`, '\t}');
  });
  dispatchCarrier.push('}', '');

  // Tenant routes until the file reaches its target size; tenants beyond the SNI profiles are
  // reached by IP address (no TLS name of their own).
  const tail: string[] = [];
  const dispatchTenant = ['route[DISPATCH_TENANT] {'];
  const fixedLines = head.length + dispatchCarrier.length + 2;
  let n = 0;
  let editLine = -1;
  while (fixedLines + dispatchTenant.length + tail.length < input.targetLines - 40 || n < tenants.length) {
    n++;
    const domain = tenants[n - 1] ?? `pbx${n}.tenants.example.net`;
    const carrier = carriers[n % carriers.length]!.id;
    dispatchTenant.push(`\tif ($rd == "${domain}") {`, `\t\troute(TENANT_${pad(n)});`, '\t}');
    tail.push(...tenantRoute(n, domain, carrier));
  }
  dispatchTenant.push('}', '');
  const main = [...head, ...dispatchCarrier, ...dispatchTenant];
  const tailStart = main.length;
  main.push(...tail);
  // The keystroke line: the xlog of the tenant route nearest the middle of the file.
  for (let i = Math.floor(main.length / 2); i < main.length; i++) {
    if (main[i]!.includes('xlog("L_INFO", "tenant')) {
      editLine = i;
      break;
    }
  }
  if (editLine < tailStart) throw new Error('fleet: no xlog line in the second half of kamailio.cfg');
  return { main, fragments, listenLines, aliasLines, editLine };
}

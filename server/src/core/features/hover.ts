// Hovers: what an option, a value, a profile header, a tls modparam or a listen socket means in
// Kamailio, and where a path really points. Certificate and key details come from
// certificateHover.ts. Compact Markdown: the verdict first.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Position, Range } from '../types';
import { optionValue, type TlsOption, type TlsProfile } from '../tlscfg/model';
import { lookupMethod, lookupOption, TLS_METHODS, type OptionSpec } from '../tlscfg/schema';
import { lookupTlsModparam } from '../tlscfg/modparams';
import { isTlsModule } from '../kamailio/modules';
import { lookupCoreParam } from '../kamailio/coreParams';
import { locateInKamailioCfg, locateInTlsCfg } from './locate';
import { listenPort, profilesForSocket, socketsForProfile, tlsPort } from '../sockets';
import { lastTlsConfigModparam } from '../kamailio/tlsConfigParam';
import type { ResolvedPath } from '../paths';
import { certificateHover, keyHover, type PathHoverKind } from './certificateHover';
import { code, join, md, text, trusted, type Markdown } from '../util/markdown';
import { peerVerdicts, type PeerVerdict } from '../rules/peers';

export interface HoverResult {
  markdown: Markdown;
  range: Range;
}

export function hoverAt(deployment: Deployment, file: string, pos: Position): HoverResult | undefined {
  const hover = tlsCfgHover(deployment, file, pos) ?? kamailioHover(deployment, file, pos);
  // Whatever a hover shows from the file (a value, a path) went through text()/code(), which do
  // not repeat a key pasted there (util/markdown.ts, quote.ts elideSecretLooking).
  return hover;
}

function tlsCfgHover(deployment: Deployment, file: string, pos: Position): HoverResult | undefined {
  const target = locateInTlsCfg(deployment, file, pos);
  if (!target) return undefined;
  switch (target.kind) {
    case 'header':
      return { markdown: headerHover(deployment, target.profile), range: target.profile.headerRange };
    case 'key': {
      const spec = target.option.name ? lookupOption(target.option.name) : undefined;
      if (!spec) return undefined;
      return { markdown: optionHover(spec, target.option.key, target.profile.role), range: target.option.keyRange };
    }
    case 'value': {
      const spec = target.option.name ? lookupOption(target.option.name) : undefined;
      if (!spec) return undefined;
      const markdown = valueHover(deployment, spec, target.option, target.profile);
      return markdown ? { markdown, range: target.option.valueRange } : undefined;
    }
  }
}

const ROLE_WORD = { server: 'server', client: 'client' } as const;

function defaultsLine(spec: OptionSpec): Markdown {
  const parts: Markdown[] = [];
  if (spec.serverDefault !== undefined) parts.push(md`server profiles ${code(spec.serverDefault)}`);
  if (spec.clientDefault !== undefined) parts.push(md`client profiles ${code(spec.clientDefault)}`);
  if (parts.length === 0) return md`Default: not set.`;
  return md`Built-in default: ${join(parts, ', ')}${spec.name === 'certificate' || spec.name === 'private_key' ? md` (beside the main kamailio.cfg)` : ''}. A profile never takes it from [server:default].`;
}

export function optionHover(spec: OptionSpec, written: string, role?: 'server' | 'client'): Markdown {
  const aliases = [spec.name, ...spec.aliases].filter((n) => n !== written.toLowerCase());
  const lines = [
    md`**${spec.name}**${aliases.length ? md` (also ${join(aliases.map(code), ', ')})` : ''} — tls.cfg option${role ? ` of a ${ROLE_WORD[role]} profile` : ''}`,
    trusted(spec.doc),
    defaultsLine(spec),
  ];
  return md`${join(lines, '\n\n')}${spec.since ? md`\nNeeds Kamailio ${spec.since} or newer.` : ''}`;
}

const METHOD_TEXT: Record<string, string> = {
  'SSLv2': 'SSL 2.0 — OpenSSL 3 has no such method: Kamailio cannot create the context.',
  'SSLv3': 'SSL 3.0 only — OpenSSL 3 has no such method: Kamailio cannot create the context.',
  'SSLv23': 'any protocol version the library allows (TLS 1.0 and newer on OpenSSL 3).',
  'TLSv1': 'TLS 1.0 **only** — not "TLS v1.x".',
  'TLSv1.0': 'TLS 1.0 **only**.',
  'TLSv1+': 'TLS 1.0 and newer (the built-in default of every profile).',
  'TLSv1.0+': 'TLS 1.0 and newer.',
  'TLSv1.1': 'TLS 1.1 only.',
  'TLSv1.1+': 'TLS 1.1 and newer.',
  'TLSv1.2': 'TLS 1.2 only (no TLS 1.3).',
  'TLSv1.2+': 'TLS 1.2 and newer — TLS 1.3 included with OpenSSL 1.1.1 or newer. The recommended value.',
  'TLSv1.3': 'TLS 1.3 only; cipher_list then names TLS 1.3 suites.',
  'TLSv1.3+': 'TLS 1.3 and newer; cipher_list then names TLS 1.3 suites.',
};

const VERIFY_CLIENT_TEXT: Record<string, string> = {
  off: 'no client certificate is requested.',
  on: 'the client must send a certificate that verifies against ca_list/ca_path (mutual TLS).',
  optional: 'a client certificate is requested; if sent it must verify.',
  optional_no_ca: 'a client certificate is requested and accepted even if it does not verify; check `$tls_peer_verified` in the routing script.',
};

const SERVER_NAME_MODE_TEXT: Record<string, string> = { '0': 'server_name must equal the SNI exactly', '1': 'matches server_name and its subdomains', '2': 'matches only subdomains of server_name' };

function valueHover(deployment: Deployment, spec: OptionSpec, option: TlsOption, profile: TlsProfile): Markdown | undefined {
  switch (spec.type) {
    case 'method': {
      const m = lookupMethod(option.value);
      if (!m) return md`${code(option.value)} is not a method. Valid: ${join(TLS_METHODS.map((x) => code(x.name)), ', ')}.`;
      return md`**method ${m.name}**: ${trusted(METHOD_TEXT[m.name] ?? '')}${m.since ? md`\n\nNeeds Kamailio ${m.since}.` : ''}`;
    }
    case 'verify_client': {
      const words = VERIFY_CLIENT_TEXT[option.value.toLowerCase()];
      return words ? md`**verify_client ${option.value}**: ${trusted(words)}` : undefined;
    }
    case 'server_name_mode': {
      const mode = ['0', '1', '2'].includes(option.value) ? option.value : '0';
      return md`**server_name_mode ${option.value}**: ${SERVER_NAME_MODE_TEXT[mode]!}${mode !== option.value ? ' (any value other than 1 or 2 acts as 0)' : ''}.`;
    }
    case 'path': {
      if (option.value === '') return md`An empty ${spec.name} is "configured": Kamailio loads nothing for it.`;
      const resolved = deployment.resolve(option.value);
      const kind: PathHoverKind = spec.isPath === 'key' ? 'key' : spec.name === 'ca_path' ? 'directory' : spec.name === 'crl' ? 'crl' : spec.name === 'ca_list' ? 'ca-list' : 'certificate';
      const details = kind === 'key' ? keyHover(deployment, resolved, profile) : certificateHover(deployment, resolved, kind, profile);
      return join([pathLine(resolved), details], '\n\n');
    }
    default:
      return undefined;
  }
}

export function pathLine(resolved: ResolvedPath): Markdown {
  if (resolved.notAFile) return md`${code(resolved.value)} names a key held by an OpenSSL provider or engine, not a file.`;
  const mapped = resolved.local !== resolved.deployed ? md` — in this workspace: ${code(resolved.local)}` : '';
  return md`**${code(resolved.deployed)}** (${resolved.how})${mapped}`;
}

function headerHover(deployment: Deployment, profile: TlsProfile): Markdown {
  const t = profile.target;
  const role = profile.role;
  const log = role === 'server' ? 'TLSs' : 'TLSc';
  const header = md`**${code(profile.headerText)}**`;
  const paragraphs: Markdown[] = [];
  const sn = optionValue(profile, 'server_name')?.value;
  switch (t.kind) {
    case 'default':
      paragraphs.push(
        md`${header} — the default ${role} profile (${code(`${log}<default>`)})`,
        role === 'server' ? md`Used for incoming TLS connections that no other server profile matches (by local address or SNI).` : md`Used for outgoing TLS connections that no other client profile matches (by \`server_id\`, address or SNI).`,
      );
      break;
    case 'any':
      paragraphs.push(md`${header} — ${role} profile selected by SNI only (${code(`${log}<any:${sn ?? ''}>`)})`, sn ? md`Matches server name ${code(sn)} on any address.` : md`It needs \`server_name\`: without it Kamailio exits.`);
      break;
    case 'address': {
      const where = `${t.family === 6 ? `[${t.ip}]` : t.ip}:${t.port === 0 ? 'any port' : t.port}`;
      paragraphs.push(md`${header} — ${role} profile for ${role === 'server' ? 'connections received on' : 'connections from the local address'} ${code(where)} (${code(`${log}<${t.ip}:${t.port}>`)})`);
      if (role === 'server' && deployment.kamailio) {
        const sockets = socketsForProfile(deployment, profile);
        paragraphs.push(sockets.length
          ? md`Serves: ${join(sockets.map((l) => md`${code(`tls:${l.host}:${listenPort(deployment, l)}`)} (${posix.basename(l.file)}:${l.range.start.line + 1})`), ', ')}.`
          : md`No TLS listen socket matches it: Kamailio exits with "No listening socket found".`);
      }
      if (role === 'client') paragraphs.push(md`Kamailio compares the *local* address of outgoing connections; select client profiles with \`server_id\` instead.`);
      break;
    }
    default:
      return md`${header} — not a valid profile header.`;
  }
  if (t.kind !== 'default') {
    const missing = ['method', ...(role === 'server' ? ['certificate', 'private_key'] : [])].filter((n) => !optionValue(profile, n));
    if (missing.length > 0) paragraphs.push(md`Not set here, so built-in defaults apply (not those of [${role}:default]): ${join(missing.map((n) => md`${n} = ${code(lookupOption(n)!.serverDefault ?? '')}`), ', ')}.`);
  }
  const peers = peersLine(deployment, profile);
  if (peers) paragraphs.push(peers);
  return join(paragraphs, '\n\n');
}

/** The peers this profile talks to, each with its verdict (rules/peers.ts). */
function peersLine(deployment: Deployment, profile: TlsProfile): Markdown | undefined {
  let verdicts: PeerVerdict[];
  try {
    verdicts = peerVerdicts(deployment).verdicts.filter((v) => v.link.view.profile === profile);
  } catch {
    return undefined;
  }
  if (verdicts.length === 0) return undefined;
  const lines = verdicts.map((v) => {
    const errors = v.findings.filter((f) => f.severity === 'error');
    const verdict = errors.length > 0 ? md`**fails** — ${join(errors.map((f) => code(f.code)), ', ')}` : v.findings.length > 0 ? md`works, with ${join(v.findings.map((f) => code(f.code)), ', ')}` : md`handshake expected to succeed`;
    return md`- ${text(v.link.peer.name)} (${v.link.how === 'declared' ? text(v.link.why) : 'inferred'}): ${verdict}`;
  });
  return md`**Peers**\n${join(lines, '\n')}`;
}

function kamailioHover(deployment: Deployment, file: string, pos: Position): HoverResult | undefined {
  const target = locateInKamailioCfg(deployment, file, pos);
  if (!target) return undefined;
  switch (target.kind) {
    case 'modparam-param':
    case 'modparam-value': {
      const m = target.statement;
      if (!isTlsModule(m.module)) return undefined;
      const spec = lookupTlsModparam(m.param);
      if (!spec) return undefined;
      if (target.kind === 'modparam-value') {
        if (m.param === 'config' && m.value.kind === 'string' && deployment.tls) {
          const docs = deployment.tls.documents;
          const profiles = docs.flatMap((d) => d.profiles).map((p) => code(p.headerText));
          const directory = deployment.tls.isDirectory ? md`A directory: its ${docs.length} file(s) are concatenated.\n\n` : '';
          return { markdown: md`${pathLine(deployment.tls.path)}\n\n${directory}Profiles: ${profiles.length > 0 ? join(profiles, ', ') : 'none'}.`, range: m.value.range };
        }
        if (['certificate', 'ca_list', 'crl', 'private_key'].includes(m.param) && m.value.kind === 'string') {
          const resolved = deployment.resolve(m.value.text);
          const details = m.param === 'private_key' ? keyHover(deployment, resolved, undefined) : certificateHover(deployment, resolved, m.param === 'ca_list' ? 'ca-list' : m.param === 'crl' ? 'crl' : 'certificate', undefined);
          return { markdown: join([pathLine(resolved), details], '\n\n'), range: m.value.range };
        }
        return undefined;
      }
      const ignored = spec.perProfile && lastTlsConfigModparam(deployment.kamailio!.modparams) ? md`\n\nIgnored here: \`modparam("tls", "config", …)\` is set, so profiles come from tls.cfg.` : '';
      return {
        markdown: md`**modparam("tls", "${spec.name}", ${spec.type === 'int' ? 'INT' : '"STRING"'})**\n\n${trusted(spec.doc)}${spec.tlsCfgKey ? md`\n\ntls.cfg equivalent: ${code(spec.tlsCfgKey)}.` : ''}${spec.since ? md`\n\nNeeds Kamailio ${spec.since}.` : ''}${ignored}`,
        range: m.paramRange,
      };
    }
    case 'listen': {
      const l = target.statement;
      if (l.proto !== 'tls') return undefined;
      const port = listenPort(deployment, l);
      const socket = md`**${code(`tls:${l.host}:${port}`)}**`;
      if (!deployment.tls) {
        return { markdown: md`${socket}${l.port === undefined ? ` (port from tls_port_no = ${tlsPort(deployment)})` : ''}\n\nServed by the default profiles built from tls modparams.`, range: l.range };
      }
      const serving = profilesForSocket(deployment, l);
      const describe = serving.map((s) => {
        const how = s.how === 'address' ? md`by address` : s.how === 'address-sni' ? md`by address and SNI ${code(optionValue(s.profile, 'server_name')?.value ?? '')}` : s.how === 'sni' ? md`by SNI ${code(optionValue(s.profile, 'server_name')?.value ?? '')}` : md`otherwise (default)`;
        return md`- ${code(s.profile.headerText)} ${how} — ${posix.basename(s.file)}:${s.profile.headerRange.start.line + 1}`;
      });
      const servedBy = describe.length > 0 ? join(describe, '\n') : md`- the implicit default profile (there is no [server:default]): cert.pem beside kamailio.cfg`;
      return { markdown: md`${socket}${l.port === undefined ? ' (port from tls_port_no)' : ''} is served by:\n\n${servedBy}`, range: l.range };
    }
    case 'core-param-name': {
      const spec = lookupCoreParam(target.statement.name);
      const doc = CORE_TLS_DOCS[target.statement.name];
      if (!spec && !doc) return undefined;
      return { markdown: md`**${target.statement.name}** — core parameter${spec ? ` (${spec.type})` : ''}${spec?.since ? `, Kamailio ${spec.since}+` : ''}${doc ? md`\n\n${trusted(doc)}` : ''}`, range: target.statement.nameRange };
    }
    default:
      return undefined;
  }
}

const CORE_TLS_DOCS: Record<string, string> = {
  enable_tls: 'Turns TLS on. Must come **before** `loadmodule "tls.so"`: the module checks it when it is loaded.',
  tls_enable: 'Alias of enable_tls. Must come before `loadmodule "tls.so"`.',
  disable_tls: 'Inverse of enable_tls.',
  tls_disable: 'Alias of disable_tls.',
  tls_port_no: 'Port of TLS listen sockets written without a port, and of automatically bound TLS sockets (default 5061).',
  tls_max_connections: 'Maximum number of TLS connections (default 2048); cannot exceed tcp_max_connections.',
  tls_threads_mode: 'How OpenSSL is used from threads: 0, 1, 2 (Kamailio 5.7+; default 2 since 6.0).',
  tls_connection_match_domain: 'Connection reuse also checks the TLS profile (Kamailio 6.1+).',
};

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
import { elideSecretLooking } from '../quote';

export interface HoverResult {
  markdown: string;
  range: Range;
}

export function hoverAt(deployment: Deployment, file: string, pos: Position): HoverResult | undefined {
  const hover = tlsCfgHover(deployment, file, pos) ?? kamailioHover(deployment, file, pos);
  // Whatever a hover shows from the file (a value, a path), a key pasted there is not repeated.
  return hover ? { ...hover, markdown: elideSecretLooking(hover.markdown) } : undefined;
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

function defaultsLine(spec: OptionSpec): string {
  const parts: string[] = [];
  if (spec.serverDefault !== undefined) parts.push(`server profiles \`${spec.serverDefault}\``);
  if (spec.clientDefault !== undefined) parts.push(`client profiles \`${spec.clientDefault}\``);
  if (parts.length === 0) return 'Default: not set.';
  return `Built-in default: ${parts.join(', ')}${spec.name === 'certificate' || spec.name === 'private_key' ? ' (beside the main kamailio.cfg)' : ''}. A profile never takes it from [server:default].`;
}

export function optionHover(spec: OptionSpec, written: string, role?: 'server' | 'client'): string {
  const aliases = [spec.name, ...spec.aliases].filter((n) => n !== written.toLowerCase());
  const lines = [
    `**${spec.name}**${aliases.length ? ` (also \`${aliases.join('`, `')}\`)` : ''} — tls.cfg option${role ? ` of a ${ROLE_WORD[role]} profile` : ''}`,
    '',
    spec.doc,
    '',
    defaultsLine(spec),
  ];
  if (spec.since) lines.push(`Needs Kamailio ${spec.since} or newer.`);
  return lines.join('\n');
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

function valueHover(deployment: Deployment, spec: OptionSpec, option: TlsOption, profile: TlsProfile): string | undefined {
  switch (spec.type) {
    case 'method': {
      const m = lookupMethod(option.value);
      if (!m) return `\`${option.value}\` is not a method. Valid: ${TLS_METHODS.map((x) => `\`${x.name}\``).join(', ')}.`;
      return `**method ${m.name}**: ${METHOD_TEXT[m.name] ?? ''}${m.since ? `\n\nNeeds Kamailio ${m.since}.` : ''}`;
    }
    case 'verify_client': {
      const text = VERIFY_CLIENT_TEXT[option.value.toLowerCase()];
      return text ? `**verify_client ${option.value}**: ${text}` : undefined;
    }
    case 'server_name_mode': {
      const mode = ['0', '1', '2'].includes(option.value) ? option.value : '0';
      const text = { '0': 'server_name must equal the SNI exactly', '1': 'matches server_name and its subdomains', '2': 'matches only subdomains of server_name' }[mode];
      return `**server_name_mode ${option.value}**: ${text}${mode !== option.value ? ' (any value other than 1 or 2 acts as 0)' : ''}.`;
    }
    case 'path': {
      if (option.value === '') return `An empty ${spec.name} is "configured": Kamailio loads nothing for it.`;
      const resolved = deployment.resolve(option.value);
      const kind: PathHoverKind = spec.isPath === 'key' ? 'key' : spec.name === 'ca_path' ? 'directory' : spec.name === 'crl' ? 'crl' : spec.name === 'ca_list' ? 'ca-list' : 'certificate';
      const details = kind === 'key' ? keyHover(deployment, resolved, profile) : certificateHover(deployment, resolved, kind, profile);
      return [pathLine(resolved), details].filter((x) => x !== '').join('\n\n');
    }
    default:
      return undefined;
  }
}

export function pathLine(resolved: ResolvedPath): string {
  if (resolved.notAFile) return `\`${resolved.value}\` names a key held by an OpenSSL provider or engine, not a file.`;
  const mapped = resolved.local !== resolved.deployed ? ` — in this workspace: \`${resolved.local}\`` : '';
  return `**${resolved.deployed}** (${resolved.how})${mapped}`;
}

function headerHover(deployment: Deployment, profile: TlsProfile): string {
  const t = profile.target;
  const role = profile.role;
  const log = role === 'server' ? 'TLSs' : 'TLSc';
  const lines: string[] = [];
  const sn = optionValue(profile, 'server_name')?.value;
  switch (t.kind) {
    case 'default':
      lines.push(`**${profile.headerText}** — the default ${role} profile (\`${log}<default>\`)`, '', role === 'server' ? 'Used for incoming TLS connections that no other server profile matches (by local address or SNI).' : 'Used for outgoing TLS connections that no other client profile matches (by `server_id`, address or SNI).');
      break;
    case 'any':
      lines.push(`**${profile.headerText}** — ${role} profile selected by SNI only (\`${log}<any:${sn ?? ''}>\`)`, '', sn ? `Matches server name \`${sn}\` on any address.` : 'It needs `server_name`: without it Kamailio exits.');
      break;
    case 'address': {
      const where = `${t.family === 6 ? `[${t.ip}]` : t.ip}:${t.port === 0 ? 'any port' : t.port}`;
      lines.push(`**${profile.headerText}** — ${role} profile for ${role === 'server' ? 'connections received on' : 'connections from the local address'} ${where} (\`${log}<${t.ip}:${t.port}>\`)`);
      if (role === 'server' && deployment.kamailio) {
        const sockets = socketsForProfile(deployment, profile);
        lines.push('', sockets.length
          ? `Serves: ${sockets.map((l) => `\`tls:${l.host}:${listenPort(deployment, l)}\` (${posix.basename(l.file)}:${l.range.start.line + 1})`).join(', ')}.`
          : 'No TLS listen socket matches it: Kamailio exits with "No listening socket found".');
      }
      if (role === 'client') lines.push('', 'Kamailio compares the *local* address of outgoing connections; select client profiles with `server_id` instead.');
      break;
    }
    default:
      return `**${profile.headerText}** — not a valid profile header.`;
  }
  if (t.kind !== 'default') {
    const missing = ['method', ...(role === 'server' ? ['certificate', 'private_key'] : [])].filter((n) => !optionValue(profile, n));
    if (missing.length > 0) lines.push('', `Not set here, so built-in defaults apply (not those of [${role}:default]): ${missing.map((n) => `${n} = \`${lookupOption(n)!.serverDefault}\``).join(', ')}.`);
  }
  return lines.join('\n');
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
          const profiles = docs.flatMap((d) => d.profiles).map((p) => `\`${p.headerText}\``);
          return { markdown: `${pathLine(deployment.tls.path)}\n\n${deployment.tls.isDirectory ? `A directory: its ${docs.length} file(s) are concatenated.\n\n` : ''}Profiles: ${profiles.join(', ') || 'none'}.`, range: m.value.range };
        }
        if (['certificate', 'ca_list', 'crl', 'private_key'].includes(m.param) && m.value.kind === 'string') {
          const resolved = deployment.resolve(m.value.text);
          const details = m.param === 'private_key' ? keyHover(deployment, resolved, undefined) : certificateHover(deployment, resolved, m.param === 'ca_list' ? 'ca-list' : m.param === 'crl' ? 'crl' : 'certificate', undefined);
          return { markdown: [pathLine(resolved), details].filter((x) => x !== '').join('\n\n'), range: m.value.range };
        }
        return undefined;
      }
      const ignored = spec.perProfile && lastTlsConfigModparam(deployment.kamailio!.modparams) ? '\n\nIgnored here: `modparam("tls", "config", …)` is set, so profiles come from tls.cfg.' : '';
      return {
        markdown: `**modparam("tls", "${spec.name}", ${spec.type === 'int' ? 'INT' : '"STRING"'})**\n\n${spec.doc}${spec.tlsCfgKey ? `\n\ntls.cfg equivalent: \`${spec.tlsCfgKey}\`.` : ''}${spec.since ? `\n\nNeeds Kamailio ${spec.since}.` : ''}${ignored}`,
        range: m.paramRange,
      };
    }
    case 'listen': {
      const l = target.statement;
      if (l.proto !== 'tls') return undefined;
      const port = listenPort(deployment, l);
      if (!deployment.tls) {
        return { markdown: `**tls:${l.host}:${port}**${l.port === undefined ? ` (port from tls_port_no = ${tlsPort(deployment)})` : ''}\n\nServed by the default profiles built from tls modparams.`, range: l.range };
      }
      const serving = profilesForSocket(deployment, l);
      const describe = serving.map((s) => {
        const how = s.how === 'address' ? 'by address' : s.how === 'address-sni' ? `by address and SNI \`${optionValue(s.profile, 'server_name')?.value}\`` : s.how === 'sni' ? `by SNI \`${optionValue(s.profile, 'server_name')?.value}\`` : 'otherwise (default)';
        return `- \`${s.profile.headerText}\` ${how} — ${posix.basename(s.file)}:${s.profile.headerRange.start.line + 1}`;
      });
      return { markdown: `**tls:${l.host}:${port}**${l.port === undefined ? ` (port from tls_port_no)` : ''} is served by:\n\n${describe.join('\n') || '- the implicit default profile (there is no [server:default]): cert.pem beside kamailio.cfg'}`, range: l.range };
    }
    case 'core-param-name': {
      const spec = lookupCoreParam(target.statement.name);
      const doc = CORE_TLS_DOCS[target.statement.name];
      if (!spec && !doc) return undefined;
      return { markdown: `**${target.statement.name}** — core parameter${spec ? ` (${spec.type})` : ''}${spec?.since ? `, Kamailio ${spec.since}+` : ''}${doc ? `\n\n${doc}` : ''}`, range: target.statement.nameRange };
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

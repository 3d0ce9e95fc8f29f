// tls.cfg structure — `tlscfg.*` (diagnostics.md). Syntax and header problems come from the
// parser; this file judges option names, values, duplicates and the cross-file profile rules.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Range, RelatedLocation } from '../types';
import type { TlsConfigDocument, TlsOption, TlsProfile } from '../tlscfg/model';
import { optionValue } from '../tlscfg/model';
import {
  FOREIGN_SPELLINGS,
  TLS_METHODS,
  VERIFY_CLIENT_VALUES,
  allOptionKeys,
  lookupMethod,
  lookupOption,
  parseTlsBoolean,
  type OptionSpec,
} from '../tlscfg/schema';
import { versionAtLeast, kamailioName } from '../version';
import { closestMatch } from '../util/suggest';
import { Reporter, edit, fix, lineStart } from './report';
import { isTlsEnabled } from './tlsState';
import { builtInDefaultLoadError, combinedCertificateFix, fileDescription, implicitCertPem } from './implicitFiles';
import { hasBrokenLines } from '../tlscfg/model';
import { SocketIndex, tlsCapableListens, tlsPort } from '../sockets';
import { firstListed, listingOf } from '../listing';
import type { ListenSocket } from '../kamailio/model';
import { quoted } from '../quote';

export function checkTlsCfg(deployment: Deployment, out: Reporter): void {
  const docs = deployment.tls?.documents ?? [];
  const material = docs.filter((d) => d.cryptoMaterial);
  for (const doc of material) reportCryptoMaterial(deployment, doc, out);
  for (const doc of docs) {
    if (doc.cryptoMaterial) continue;
    for (const p of doc.problems) out.addProblem(doc.file, p);
    for (const profile of doc.profiles) {
      out.at(doc.file, profile.headerRange);
      checkOptions(deployment, doc, profile, out);
      checkDuplicateOptions(doc, profile, out);
      checkAnyWithoutServerName(deployment, doc, profile, out);
    }
  }
  // Kamailio stops at the key or certificate: what the configuration as a whole lacks is moot.
  if (material.length > 0) return;
  checkConfigDirectory(deployment, out);
  checkDuplicateProfiles(docs, out);
  checkNoInherit(deployment, docs, out);
  checkMissingDefault(deployment, docs, out);
  checkProfilesHaveListeners(deployment, docs, out);
}

/**
 * A key or a certificate where Kamailio expects tls.cfg (modparam("tls", "config", "server.key")):
 * it was not parsed (tlscfg/parser.ts), and one finding says what it is, on the modparam that
 * names it — not in the file, whose first line a code-scanning alert would show. Kamailio 5.6.3
 * fails on line 1 for every format (ORACLE-NOTES.md, "Key material read as configuration").
 */
function reportCryptoMaterial(deployment: Deployment, doc: TlsConfigDocument, out: Reporter): void {
  const material = doc.cryptoMaterial!;
  const use = deployment.tls!;
  const name = use.isDirectory ? `${doc.file} (in the folder ${use.path.deployed})` : use.declaredBy ? use.path.deployed : doc.file;
  const advice = material.secret
    ? ` Point modparam("tls", "config", …) at the tls.cfg; a key file is named by private_key in a profile there.`
    : ` Point modparam("tls", "config", …) at the tls.cfg; a certificate is named by certificate or ca_list in a profile there.`;
  const message =
    `${name} holds ${material.description}, not a tls.cfg: Kamailio's tls.cfg parser fails on its first line ("${posix.basename(doc.file)}:1:…"), ` +
    `the tls module fails to initialise ("Error while initializing module tls") and Kamailio exits.${use.declaredBy ? (use.isDirectory ? ' Remove the file from the folder.' : advice) : ''}`;
  const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (use.declaredBy) {
    out.add('tlscfg.syntax', use.declaredBy.file, use.declaredBy.value.range, message, {
      related: [{ file: doc.file, range: top, message: `The file Kamailio would read as tls.cfg (${material.description})` }],
    });
  } else out.add('tlscfg.syntax', doc.file, top, message);
}

function checkOptions(deployment: Deployment, doc: TlsConfigDocument, profile: TlsProfile, out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  for (const option of profile.options) {
    if (!option.name) {
      reportUnknownOption(doc, option, out);
      continue;
    }
    const spec = lookupOption(option.name)!;
    if (spec.since && !versionAtLeast(version, spec.since)) {
      out.add(
        'tlscfg.version-gated',
        doc.file,
        option.keyRange,
        `${quoted(option.key)} needs Kamailio ${spec.since}; ${kamailioName(version)} exits with "Unsupported option ${quoted(option.key)}".`,
      );
      continue;
    }
    checkValue(deployment, doc, profile, option, spec, out);
  }
}

function reportUnknownOption(doc: TlsConfigDocument, option: TlsOption, out: Reporter): void {
  const lower = option.key.toLowerCase();
  const foreign = Object.prototype.hasOwnProperty.call(FOREIGN_SPELLINGS, lower);
  const mapped = foreign ? FOREIGN_SPELLINGS[lower] : closestMatch(option.key, allOptionKeys());
  const base = `Unknown option ${quoted(option.key)}: Kamailio exits with "Unsupported option ${quoted(option.key)}".`;
  if (foreign && !mapped) {
    out.add('tlscfg.unknown-option', doc.file, option.keyRange, `${base} It is an OpenSIPS/OpenSER setting with no Kamailio equivalent; remove it.`, {
      fixes: [fix(`Remove ${quoted(option.key)}`, [edit(doc.file, option.lineRange, '')], true)],
    });
    return;
  }
  out.add(
    'tlscfg.unknown-option',
    doc.file,
    option.keyRange,
    mapped ? `${base} ${foreign ? `Kamailio's name for it is ${quoted(mapped)}.` : `Did you mean ${quoted(mapped)}?`}` : base,
    mapped ? { fixes: [fix(`Replace with ${quoted(mapped)}`, [edit(doc.file, option.keyRange, mapped)], true)] } : {},
  );
}

function replaceValue(doc: TlsConfigDocument, option: TlsOption, value: string, preferred = true) {
  return fix(`Replace with ${quoted(value)}`, [edit(doc.file, option.valueRange, value)], preferred);
}

function checkValue(deployment: Deployment, doc: TlsConfigDocument, profile: TlsProfile, option: TlsOption, spec: OptionSpec, out: Reporter): void {
  const v = option.value;
  const version = deployment.settings.kamailioVersion;
  switch (spec.type) {
    case 'method': {
      const m = lookupMethod(v);
      if (!m) {
        const suggestion = closestMethod(v, version);
        out.add(
          'tlscfg.bad-value',
          doc.file,
          option.valueRange,
          `${quoted(v)} is not a method Kamailio knows: it exits with "Unsupported enum value ${quoted(v)}". Valid: ${TLS_METHODS.filter((x) => !x.since || versionAtLeast(version, x.since)).map((x) => x.name).join(', ')}.`,
          suggestion ? { fixes: [replaceValue(doc, option, suggestion)] } : {},
        );
      } else if (m.since && !versionAtLeast(version, m.since)) {
        out.add(
          'tlscfg.version-gated',
          doc.file,
          option.valueRange,
          `${quoted(v)} needs Kamailio ${m.since}; ${kamailioName(version)} exits with "Unsupported enum value ${quoted(v)}". TLSv1.2+ already allows TLS 1.3 with OpenSSL 1.1.1 or newer.`,
          { fixes: [replaceValue(doc, option, 'TLSv1.2+')] },
        );
      } else if (m.unusable) {
        out.add(
          'tlscfg.bad-value',
          doc.file,
          option.valueRange,
          `${quoted(v)} is accepted by the parser but OpenSSL 3 has no ${m.name} method: Kamailio exits with "${profileLog(profile)}: Cannot create SSL context … null ssl method passed".`,
          { fixes: [replaceValue(doc, option, 'TLSv1.2+')] },
        );
      }
      return;
    }
    case 'bool':
      if (parseTlsBoolean(v) === undefined) {
        const s = /^(y|ja|si|oui|t)/i.test(v) ? 'yes' : /^(n|f|nein|non)/i.test(v) ? 'no' : undefined;
        out.add(
          'tlscfg.bad-value',
          doc.file,
          option.valueRange,
          `${quoted(v)} is not a boolean: Kamailio exits with "Invalid option value ${quoted(v)}, boolean expected". Use yes/no (also true/false, on/off, 1/0, enable(d)/disable(d)).`,
          s ? { fixes: [replaceValue(doc, option, s)] } : {},
        );
      }
      return;
    case 'verify_client':
      if (!VERIFY_CLIENT_VALUES.includes(v.toLowerCase() as (typeof VERIFY_CLIENT_VALUES)[number])) {
        const s = closestMatch(v, VERIFY_CLIENT_VALUES, 3);
        out.add(
          'tlscfg.bad-value',
          doc.file,
          option.valueRange,
          `${quoted(v)} is not a verify_client value: Kamailio exits with "Unsupported enum value ${quoted(v)}". Use off, on, optional or optional_no_ca.`,
          s ? { fixes: [replaceValue(doc, option, s)] } : {},
        );
      }
      return;
    case 'int':
    case 'server_name_mode': {
      if (/^-\d+$/.test(v)) {
        out.add(
          'tlscfg.bad-value',
          doc.file,
          option.valueRange,
          `${quoted(option.key)} cannot be negative: Kamailio reads '-' on its own and exits with "Invalid integer value '-'".`,
          { fixes: [replaceValue(doc, option, v.slice(1))] },
        );
      } else if (!/^\d+$/.test(v)) {
        out.add('tlscfg.bad-value', doc.file, option.valueRange, `${quoted(v)} is not a number: Kamailio exits with "Invalid integer value ${quoted(v)}".`);
      } else if (spec.type === 'server_name_mode' && !['0', '1', '2'].includes(String(Number(v)))) {
        out.add(
          'tlscfg.value-ignored',
          doc.file,
          option.valueRange,
          `server_name_mode ${v} is treated as 0 (exact match): only 1 (the name and its subdomains) and 2 (subdomains only) change matching.`,
          { fixes: [replaceValue(doc, option, '0', false), replaceValue(doc, option, '1', false)] },
        );
      }
      return;
    }
    default:
      if (option.name === 'crl' && v === '') {
        out.add('tlscfg.bad-value', doc.file, option.valueRange, `An empty crl makes Kamailio exit with "${profileLog(profile)}: Unable to load certificate revocation list ''". Remove the line to disable CRL checks.`, {
          fixes: [fix("Remove 'crl'", [edit(doc.file, option.lineRange, '')], true)],
        });
      }
  }
}

function closestMethod(v: string, version: Parameters<typeof versionAtLeast>[0]): string | undefined {
  const allowed = TLS_METHODS.filter((m) => !m.unusable && (!m.since || versionAtLeast(version, m.since))).map((m) => m.name);
  // TLSv1_2, TLS1.2, tlsv12, TLSv1.2- → TLSv1.2 / TLSv1.2+
  const m = /^(?:tls|tlsv)[ _.]?v?1(?:[._]?([0-3]))?([+-]?)$/i.exec(v.trim());
  if (m) {
    const minor = m[1] ?? '0';
    const name = minor === '0' ? 'TLSv1' : `TLSv1.${minor}`;
    const plus = m[2] === '+' || m[2] === '-' ? '+' : '';
    const candidate = allowed.find((a) => a.toLowerCase() === `${name}${plus}`.toLowerCase());
    if (candidate) return candidate;
  }
  return closestMatch(v, allowed, 2);
}

function profileLog(profile: TlsProfile): string {
  const prefix = profile.role === 'server' ? 'TLSs' : 'TLSc';
  const t = profile.target;
  if (t.kind === 'address') return `${prefix}<${t.ip}:${t.port}>`;
  if (t.kind === 'any') return `${prefix}<any:${optionValue(profile, 'server_name')?.value ?? ''}>`;
  return `${prefix}<default>`;
}

function checkDuplicateOptions(doc: TlsConfigDocument, profile: TlsProfile, out: Reporter): void {
  const last = new Map<string, TlsOption>();
  for (let i = profile.options.length - 1; i >= 0; i--) {
    const o = profile.options[i]!;
    if (!o.name) continue;
    const later = last.get(o.name);
    if (later) {
      out.add(
        'tlscfg.duplicate-option',
        doc.file,
        o.keyRange,
        `${quoted(o.key)} is set again on line ${later.line + 1} (${quoted(later.value)}); Kamailio silently uses the last value, so this line has no effect.`,
        {
          related: [{ file: doc.file, range: later.keyRange, message: 'The value Kamailio uses' }],
          fixes: [fix('Remove this earlier line', [edit(doc.file, o.lineRange, '')], true)],
        },
      );
    } else {
      last.set(o.name, o);
    }
  }
}

function checkAnyWithoutServerName(deployment: Deployment, doc: TlsConfigDocument, profile: TlsProfile, out: Reporter): void {
  if (profile.target.kind !== 'any') return;
  const sn = optionValue(profile, 'server_name');
  if (sn && sn.value !== '') return;
  const name = deployment.settings.sipDomains[0] ?? deployment.kamailio?.aliases.find((a) => /[a-z]/i.test(a.host))?.host ?? 'sip.example.com';
  out.add(
    'tlscfg.any-without-server-name',
    doc.file,
    profile.headerRange,
    `${profile.headerText} matches only on SNI and needs server_name: Kamailio exits with "${profile.role === 'server' ? 'TLSs' : 'TLSc'}<any:>: tls domain for any address but no server name".`,
    { fixes: [fix(`Insert server_name = ${name}`, [edit(doc.file, lineStart(profile.headerRange.start.line + 1), `server_name = ${name}\n`)], true)] },
  );
}

function targetKey(profile: TlsProfile): string | undefined {
  const t = profile.target;
  if (t.kind === 'default' || t.kind === 'any') return `${profile.role}:${t.kind}`;
  if (t.kind === 'address') return `${profile.role}:${t.ip}:${t.port}`;
  return undefined;
}

/** modparam("tls", "config", "/dir/"): reference §1.1 and ORACLE-NOTES.md D5. */
function checkConfigDirectory(deployment: Deployment, out: Reporter): void {
  const use = deployment.tls;
  if (!use?.isDirectory || !use.declaredBy) return;
  const workdir = deployment.resolutionBase().workdir;
  out.add(
    'tlscfg.config-directory',
    use.declaredBy.file,
    use.declaredBy.value.range,
    `${use.path.deployed} is a directory: Kamailio concatenates its ${use.documents.length} regular file(s) in unsorted readdir() order into a temporary file created in its working directory (${workdir}). Run unprivileged (Debian's systemd unit uses User=kamailio) it cannot create that file and exits with "cannot make tmp file configXXXXXX"; profiles may also come in a different order than the names suggest. A single tls.cfg avoids both.`,
  );
}

function checkDuplicateProfiles(docs: TlsConfigDocument[], out: Reporter): void {
  // Kamailio parses the files (a directory's files concatenated) as one stream.
  const all: { doc: TlsConfigDocument; profile: TlsProfile }[] = [];
  for (const doc of docs) for (const profile of doc.profiles) all.push({ doc, profile });
  // The latest profile seen per target: a lookup, not a rescan of every earlier profile (that
  // was quadratic — seconds for a few thousand repeated headers).
  const latest = new Map<string, { doc: TlsConfigDocument; profile: TlsProfile }>();
  for (let i = 0; i < all.length; i++) {
    const { doc, profile } = all[i]!;
    const key = targetKey(profile);
    if (!key) continue;
    const prev = latest.get(key);
    latest.set(key, all[i]!);
    if (!prev) continue;
    const related: RelatedLocation[] = [{ file: prev.doc.file, range: prev.profile.headerRange, message: 'The earlier definition' }];
    if (profile.target.kind === 'default') {
      // Kamailio keeps only the last default profile (tested on 5.6 despite the docs).
      out.add(
        'tlscfg.duplicate-profile',
        prev.doc.file,
        prev.profile.headerRange,
        `${prev.profile.headerText} is defined again at ${where(prev.doc, doc, profile.headerRange)}: Kamailio silently drops this one and uses the later one.`,
        { severity: 'warning', related: [{ file: doc.file, range: profile.headerRange, message: 'The definition Kamailio uses' }] },
      );
      continue;
    }
    if (profile.target.kind !== 'address') continue;
    const hasName = (p: TlsProfile) => (optionValue(p, 'server_name')?.value ?? '') !== '';
    if (hasName(profile) && hasName(prev.profile)) continue; // SNI virtual hosting on one socket
    const isLast = i === all.length - 1;
    if (isLast) {
      out.add(
        'tlscfg.duplicate-profile',
        doc.file,
        profile.headerRange,
        `${profile.headerText} repeats an earlier profile for the same address without server_name. Kamailio only notices a duplicate when the next header follows, so as the last profile it is silently accepted and replaces the earlier one — moving or adding a profile after it will make Kamailio exit.`,
        { severity: 'warning', related },
      );
    } else {
      out.add(
        'tlscfg.duplicate-profile',
        doc.file,
        profile.headerRange,
        `${profile.headerText} repeats an earlier profile for the same address and at least one has no server_name: Kamailio exits with "duplicate definition for a tls profile (same address) and no server name provided". Give each a distinct server_name or merge them.`,
        { related },
      );
    }
  }
}

function where(from: TlsConfigDocument, doc: TlsConfigDocument, range: Range): string {
  return from.file === doc.file ? `line ${range.start.line + 1}` : `${posix.basename(doc.file)}:${range.start.line + 1}`;
}

/** A profile's built-in fallback for certificate/private_key (cert.pem beside kamailio.cfg). */
function checkNoInherit(deployment: Deployment, docs: TlsConfigDocument[], out: Reporter): void {
  // The document of each default profile is kept with it: finding it again per profile made a
  // 10,000-profile tls.cfg quadratic.
  const defaults = new Map<string, TlsProfile>();
  const defaultFiles = new Map<TlsProfile, string>();
  for (const doc of docs) {
    for (const p of doc.profiles) {
      if (p.target.kind !== 'default') continue;
      defaults.set(p.role, p);
      defaultFiles.set(p, doc.file);
    }
  }
  for (const doc of docs) {
    for (const profile of doc.profiles) {
      if (profile.target.kind !== 'address' && profile.target.kind !== 'any') continue;
      if (hasBrokenLines(doc, profile)) continue; // the syntax error is the finding
      const def = defaults.get(profile.role);
      const missing: string[] = [];
      if (profile.role === 'server') {
        if (!optionValue(profile, 'certificate')) missing.push('certificate');
        if (!optionValue(profile, 'private_key')) missing.push('private_key');
      }
      const methodMissing = !optionValue(profile, 'method') && def !== undefined && optionValue(def, 'method') !== undefined;
      if (missing.length === 0 && !methodMissing) continue;

      const parts: string[] = [];
      let fatal = false;
      let combined: ReturnType<typeof combinedCertificateFix>;
      if (missing.length > 0) {
        const certPem = implicitCertPem(deployment);
        fatal = !certPem.usable && !certPem.deployTime;
        parts.push(
          `it has no ${missing.join(' and ')}, so Kamailio loads its built-in default cert.pem (${certPem.path.deployed}) — not the one of ${def ? def.headerText : '[server:default]'}` +
            (fatal ? `; ${fileDescription(certPem)}, so Kamailio will refuse to start ("${builtInDefaultLoadError(profileLog(profile), missing, certPem.path.deployed)}")` : ''),
        );
        const cert = optionValue(profile, 'certificate');
        combined = combinedCertificateFix(deployment, doc.file, cert ? { value: cert.value, option: cert } : undefined, missing);
      }
      if (methodMissing) parts.push(`it has no method, so it uses the built-in TLSv1+ (TLS 1.0 and newer), not method = ${optionValue(def!, 'method')!.value} of ${def!.headerText}`);
      const copyable = [...missing, ...(methodMissing ? ['method'] : [])]
        .map((name) => (def ? optionValue(def, name) : undefined))
        .filter((o): o is TlsOption => o !== undefined);
      const insertion = copyable.map((o) => `${o.name} = ${o.quoted ? JSON.stringify(o.value) : o.value}\n`).join('');
      const copyFix = insertion ? fix(`Copy ${copyable.map((o) => o.name).join(', ')} from ${def!.headerText}`, [edit(doc.file, lineStart(profile.headerRange.start.line + 1), insertion)], !combined?.fix) : undefined;
      const fixes = [...(combined?.fix ? [combined.fix] : []), ...(copyFix ? [copyFix] : [])];
      out.add('tlscfg.no-inherit', doc.file, profile.headerRange, `${profile.headerText}: ${parts.join('; ')}. Profiles never inherit from the default profile.${combined?.hint ?? ''}`, {
        severity: fatal ? 'error' : 'warning',
        ...(def ? { related: [{ file: defaultFiles.get(def)!, range: def.headerRange, message: 'The default profile, whose values are not inherited' }] } : {}),
        ...(fixes.length > 0 ? { fixes } : {}),
      });
    }
  }
}

function checkMissingDefault(deployment: Deployment, docs: TlsConfigDocument[], out: Reporter): void {
  if (docs.length === 0) return;
  if (docs.some((d) => d.profiles.some((p) => p.role === 'server' && p.target.kind === 'default'))) return;
  // Nothing parsed at all (e.g. every line is broken): the syntax errors say enough.
  if (docs.every((d) => d.profiles.length === 0 && d.problems.length > 0)) return;
  const certPem = implicitCertPem(deployment);
  const fatal = !certPem.usable && !certPem.deployTime;
  const first = docs.find((d) => d.profiles.length > 0);
  const file = first?.file ?? docs[0]!.file;
  const range: Range = first ? first.profiles[0]!.headerRange : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const template = defaultProfileTemplate(docs, certPem.usable ? certPem.path.deployed : undefined);
  const message =
    `There is no [server:default] profile: Kamailio creates one that loads cert.pem beside kamailio.cfg (${certPem.path.deployed}) as certificate and key` +
    (fatal
      ? `; ${fileDescription(certPem)}, so Kamailio will refuse to start ("TLSs<default>: Unable to load certificate file '${certPem.path.deployed}'").`
      : certPem.deployTime
        ? ` (not in the repository: it must be there where the configuration is deployed), and accepts TLS 1.0.`
        : ', and accepts TLS 1.0.');
  const insertFix = fix('Insert a [server:default] profile', [edit(file, lineStart(first ? first.profiles[0]!.headerRange.start.line : 0), template)], true);
  out.add('tlscfg.missing-default', file, range, message, { severity: fatal ? 'error' : 'warning', fixes: [insertFix] });
  const declared = deployment.tls?.declaredBy;
  if (declared) {
    out.add('tlscfg.missing-default', declared.file, declared.value.range, `The TLS configuration ${posix.basename(file)} has no [server:default] profile: ${message.slice(message.indexOf('profile: ') + 'profile: '.length)}`, {
      severity: fatal ? 'error' : 'warning',
      related: [{ file, range, message: 'The TLS configuration without [server:default]' }],
      fixes: [insertFix],
    });
  }
}

/**
 * The profile to insert: the certificate of another server profile, else the cert.pem Kamailio
 * loads today when it is usable (so that the fix keeps a working start-up working), else
 * placeholders to edit.
 */
function defaultProfileTemplate(docs: TlsConfigDocument[], usableCertPem: string | undefined): string {
  const server = docs.flatMap((d) => d.profiles).find((p) => p.role === 'server');
  const cert = server ? optionValue(server, 'certificate') : undefined;
  const key = server ? optionValue(server, 'private_key') : undefined;
  const q = (o: TlsOption | undefined, fallback: string) => (o ? (o.quoted ? JSON.stringify(o.value) : o.value) : fallback);
  return [
    '[server:default]',
    'method = TLSv1.2+',
    `certificate = ${q(cert, usableCertPem ?? '/etc/kamailio/fullchain.pem')}`,
    `private_key = ${q(key, usableCertPem ?? '/etc/kamailio/privkey.pem')}`,
    '',
    '',
  ].join('\n');
}

/** A listen socket as written, IPv6 in brackets so that the port stands apart. */
function socketText(l: ListenSocket, tlsPortNo: number): string {
  return `${l.hostKind === 'ipv6' ? `[${l.host}]` : l.host}:${l.port ?? tlsPortNo}`;
}

function checkProfilesHaveListeners(deployment: Deployment, docs: TlsConfigDocument[], out: Reporter): void {
  const cfg = deployment.kamailio;
  if (!cfg || !isTlsEnabled(deployment)) return;
  const tlsPortNo = tlsPort(deployment);
  const candidates = tlsCapableListens(deployment);
  // No listen at all: Kamailio binds every interface, which we cannot enumerate. A host name,
  // interface or placeholder is resolved at start-up: we cannot tell which IP it becomes.
  if (cfg.listens.length === 0) return;
  if (candidates.some((l) => l.hostKind !== 'ipv4' && l.hostKind !== 'ipv6')) return;
  const index = new SocketIndex(deployment, candidates);
  // The same for every profile without a socket (sockets × profiles otherwise), and bounded.
  const tlsListens = cfg.listens.filter((l) => l.proto === 'tls');
  const listed = tlsListens.length ? `TLS sockets: ${listingOf(tlsListens, (l) => socketText(l, tlsPortNo))}` : 'there is no listen=tls: line';
  const listenRelated: RelatedLocation[] = firstListed(tlsListens).map((l) => ({ file: l.file, range: l.range, message: `TLS listen ${socketText(l, tlsPortNo)}` }));
  for (const doc of docs) {
    for (const profile of doc.profiles) {
      if (profile.role !== 'server' || profile.target.kind !== 'address') continue;
      const t = profile.target;
      if (index.serves(profile)) continue;
      const message = `No TLS listen socket on ${t.family === 6 ? `[${t.ip}]` : t.ip}:${t.port === 0 ? '(any port)' : t.port} for ${profile.headerText}: Kamailio exits with "TLSs<${t.ip}:${t.port}>: No listening socket found" (${listed}).`;
      const related = listenRelated;
      out.add('tlscfg.profile-no-listener', doc.file, profile.headerRange, message, { related });
      const declared = deployment.tls?.declaredBy;
      if (declared) {
        out.add('tlscfg.profile-no-listener', declared.file, declared.value.range, message, {
          related: [{ file: doc.file, range: profile.headerRange, message: `The profile ${profile.headerText}` }, ...related],
        });
      }
    }
  }
}

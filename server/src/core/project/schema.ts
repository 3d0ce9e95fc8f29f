// The JSON schema of .sip-tls.json, contributed to VS Code (completion and validation while the
// file is edited). Written out to schemas/sip-tls.schema.json by `npm run docs`; a unit test
// keeps it equal to this and its keys equal to what projectFile.ts reads.
import { CATALOG } from '../catalog';
import { KNOWN_VERSIONS } from '../version';
import { PLATFORMS, PLATFORM_IDS } from '../platform';
import { peerSchema } from '../peers/schema';
import { builtInPeers } from '../peers/presets';

const pathList = (description: string) => ({ type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, markdownDescription: description });
const defines = {
  type: 'array',
  items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(=.*)?$' },
  uniqueItems: true,
  markdownDescription: 'Preprocessor names defined as with `kamailio -A NAME[=VALUE]`, e.g. `["WITH_TLS"]`.',
};
const vars = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.]*$' },
  additionalProperties: { type: 'string', pattern: '^[^\\r\\n]*$' },
  markdownDescription:
    'Values of template placeholders (`${DOMAIN}`, `{{ domain }}`, `%DOMAIN%`, `@DOMAIN@`, `__DOMAIN__`) and of `#!defenv` environment variables, e.g. `{ "DOMAIN": "sip.example.com" }`. Files holding placeholders are checked as rendered with these values; an empty value is not used.',
};

const profilesList = { type: 'array', items: { type: 'string', pattern: '^(server|client)(:[^\\s\\]]{1,200})?$' }, uniqueItems: true };
const dialledNames = {
  type: 'array',
  items: { type: 'string', pattern: '^(\\*\\.)?[A-Za-z0-9][A-Za-z0-9.-]{0,252}$' },
  uniqueItems: true,
  description: 'The host names the peer connects to and expects in our certificate (the SBC FQDN configured at the carrier). Without them, the profile\'s server_name.',
};

export function projectFileSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'sip-tls project file (.sip-tls.json)',
    description: 'How this repository is deployed, for sip-tls check and the sip-tls language server. JSON with comments. Every path is relative to this file and must stay inside its folder.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      platform: {
        type: 'string',
        enum: [...PLATFORM_IDS],
        markdownDescription: 'The platform the configuration is deployed on: it fixes the Kamailio version (unless `kamailioVersion` says otherwise) and what its OpenSSL negotiates. ' + PLATFORMS.map((x) => `\`${x.id}\`: ${x.name}`).join('; ') + '.',
      },
      kamailioVersion: {
        type: 'string',
        enum: [...KNOWN_VERSIONS],
        markdownDescription: 'The Kamailio version the configuration is deployed on (Debian 12 ships 5.6, Debian 13 6.0). Gates version-dependent options and values.',
      },
      mainConfigs: pathList('The main kamailio.cfg files (what `kamailio -f` gets), relative to this file. Empty: found by searching the folder.'),
      mappings: {
        type: 'object',
        propertyNames: { pattern: '^/' },
        additionalProperties: { type: 'string', minLength: 1 },
        markdownDescription: 'Deployed path → folder of this repository, e.g. `{ "/etc/kamailio": "etc/kamailio" }`. The longest matching prefix wins. Without it, sip-tls assumes what docker-compose volumes, Dockerfile COPY lines or the layout say, and says so.',
      },
      defines,
      variants: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: { defines, vars },
        },
        markdownDescription: 'Named configurations checked one after the other, e.g. `{ "default": {}, "tls": { "defines": ["WITH_TLS"] } }`. A finding that not every variant has names the variants it comes from.',
      },
      vars,
      deployTimePaths: pathList('Deployed paths (prefixes or globs with `*` and `**`) of files that only exist once deployed, e.g. `"/etc/kamailio/certs/**"`: never read from the repository, and said to be provided at deploy time.'),
      sipDomains: pathList('SIP domains the server certificates must cover, in addition to each profile\'s `server_name` and the `alias=` lines.'),
      trustAnchors: pathList('Extra trust anchors (PEM files of this repository) that your peers trust, e.g. a private carrier CA.'),
      severity: {
        type: 'object',
        propertyNames: { enum: CATALOG.map((e) => e.code) },
        additionalProperties: { type: 'string', enum: ['error', 'warning', 'information', 'hint', 'off'] },
        markdownDescription: 'Per-code severity override, e.g. `{ "tls.protocol-outdated": "error" }`.',
      },
      workdir: { type: 'string', pattern: '^/', markdownDescription: "Kamailio's working directory as deployed (`workdir`, `-w`, default `/`): paths starting with `.` resolve against it." },
      expiryDays: { type: 'integer', minimum: 0, markdownDescription: 'Warn when a certificate expires within this many days (default 30).' },
      peers: {
        type: 'object',
        propertyNames: { pattern: '^[a-z0-9][a-z0-9-]{0,39}$' },
        additionalProperties: {
          anyOf: [
            { type: 'object', additionalProperties: false, properties: { profiles: profilesList, names: dialledNames } },
            { ...peerSchema(false), properties: { ...(peerSchema(false)['properties'] as object), profiles: profilesList, names: dialledNames } },
          ],
        },
        markdownDescription:
          'The peers the profiles talk to, checked against their requirements. A built-in peer (' +
          builtInPeers().map((p) => `\`${p.id}\`: ${p.name}`).join('; ') +
          ') with the profiles it talks to, e.g. `{ "teams": { "profiles": ["server:default", "client:default"] } }`; any other id with its requirements defines a custom peer (schemas/sip-tls-peer.schema.json). Without `profiles`, the default profiles of the directions it uses.',
      },
    },
  };
}

// The JSON schema of a peer (built-in presets and the project file's custom peers), written to
// schemas/sip-tls-peer.schema.json by `npm run docs`. peer.ts readPeer accepts the same shape; a
// unit test validates every preset against this schema with ajv and compares the keys.
import { SRTP_SUITE } from './peer';
const root = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'sha256'],
  properties: { name: { type: 'string', minLength: 1 }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
};
const host = { type: 'string', pattern: '^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' };

export function peerSchema(withId = true): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: withId ? ['id', 'versions'] : ['versions'],
    properties: {
      ...(withId ? { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' } } : {}),
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Shown in every message about this peer.' },
      checked: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The day the sources were last read.' },
      sources: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['url', 'says'], properties: { url: { type: 'string', pattern: '^https://\\S+$' }, says: { type: 'string' } } } },
      connects: { enum: ['to-us', 'from-us', 'both'], description: 'Which way connections go (default both).' },
      versions: { type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: { enum: ['1.0', '1.1', '1.2', '1.3'] }, description: 'TLS versions the peer negotiates.' },
      suites: { type: 'array', maxItems: 200, items: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]*$' }, description: 'TLS 1.2 suites it accepts, as OpenSSL names (empty: not restricted).' },
      keyTypes: { type: 'array', maxItems: 2, uniqueItems: true, items: { enum: ['rsa', 'ec'] }, description: 'Key types it accepts in our certificate (empty: any).' },
      minRsaBits: { type: 'integer', minimum: 1024, maximum: 16384 },
      trustsOurCertificateVia: { oneOf: [{ const: 'public-roots' }, { type: 'object', additionalProperties: false, required: ['roots'], properties: { roots: { type: 'array', minItems: 1, maxItems: 100, items: root } } }] },
      itsRoots: {
        type: 'object',
        additionalProperties: false,
        required: ['roots', 'required'],
        properties: { roots: { type: 'array', minItems: 1, maxItems: 100, items: root }, required: { enum: ['all', 'any'] }, expired: { type: 'array', minItems: 1, maxItems: 100, items: root } },
        description: "Roots the peer's own certificates chain to: a profile that verifies it needs them.",
      },
      hosts: { type: 'array', maxItems: 200, items: host, description: 'Host names it uses (for inference from kamailio.cfg destinations).' },
      needsDnsSan: { type: 'boolean', description: 'It checks DNS names in the SAN only.' },
      clientCertificate: { enum: ['required', 'requested', 'none'], description: 'When we connect to it: does it ask for our client certificate.' },
      clientCertificateEku: { const: 'clientAuth' },
      presentsClientCertificate: { type: 'boolean', description: 'When it connects to us: it presents a client certificate.' },
      mustNotBeAskedForCertificate: { type: 'boolean', description: 'When it connects to us it never sends a client certificate: requiring one fails.' },
      srtp: { type: 'array', maxItems: 12, items: { type: 'string', pattern: SRTP_SUITE.source }, description: 'SRTP SDES crypto suites (RFC 4568 names) it accepts in an offer; empty: not stated.' },
    },
  };
}

export function peerFileSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'sip-tls peer', ...peerSchema(true) };
}

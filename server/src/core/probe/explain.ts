// Plain words for what OpenSSL and the network say. The codes are OpenSSL's verify codes as Node
// reports them in `authorizationError`, and Node's error codes; the words are for a VoIP engineer
// who has to decide what to change: the server's certificate file, the trust on the client, or
// the network.

/** OpenSSL's own words (X509_verify_cert_error_string) and what they mean for a SIP peer. */
const VERIFY: Record<string, [string, string]> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [
    'unable to get local issuer certificate',
    'The chain leads to a CA this client does not trust: either the root is not in the trust store (give it with --ca), or the server does not send the intermediate certificate (configure a full chain in tls.cfg `certificate`).',
  ],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [
    'unable to verify the first certificate',
    'The server sent only its own certificate and its issuer is not trusted here: the intermediate is missing from the server\'s certificate file, or the issuing CA is unknown to this client (--ca).',
  ],
  UNABLE_TO_GET_ISSUER_CERT: ['unable to get issuer certificate', 'An issuer in the chain cannot be found: the server\'s chain is incomplete.'],
  SELF_SIGNED_CERT_IN_CHAIN: [
    'self-signed certificate in certificate chain',
    'The server sends a root CA that this client does not trust. Peers must be given that root (--ca here, ca_list on a Kamailio peer).',
  ],
  DEPTH_ZERO_SELF_SIGNED_CERT: [
    'self-signed certificate',
    'The server\'s certificate is self-signed and not trusted here. Only peers that have exactly this certificate as a trust anchor accept it.',
  ],
  CERT_HAS_EXPIRED: ['certificate has expired', 'A certificate in the chain has expired: every verifying peer refuses it. Renew it and reload Kamailio (tls.reload).'],
  CERT_NOT_YET_VALID: ['certificate is not yet valid', 'A certificate in the chain is not valid yet: check the server\'s and this machine\'s clocks.'],
  CERT_SIGNATURE_FAILURE: ['certificate signature failure', 'A signature in the chain does not verify: a certificate was not issued by the CA it names.'],
  CERT_REVOKED: ['certificate revoked', 'A certificate in the chain is revoked.'],
  INVALID_CA: ['invalid CA certificate', 'An issuer in the chain is not a CA certificate (basicConstraints CA:FALSE or missing).'],
  INVALID_PURPOSE: ['unsupported certificate purpose', 'The server certificate is not allowed for TLS servers (extendedKeyUsage without serverAuth).'],
  PATH_LENGTH_EXCEEDED: ['path length constraint exceeded', 'The chain is longer than a CA\'s pathLenConstraint allows.'],
  CERT_UNTRUSTED: ['certificate not trusted', 'The root is present but not trusted for this purpose.'],
  CERT_REJECTED: ['certificate rejected', 'The root is explicitly rejected for this purpose.'],
  EE_KEY_TOO_SMALL: ['EE certificate key too weak', 'The server certificate\'s key is too small for OpenSSL 3\'s default security level (RSA needs 2048 bits).'],
  CA_KEY_TOO_SMALL: ['CA certificate key too weak', 'A CA key in the chain is too small for OpenSSL 3\'s default security level.'],
  CA_MD_TOO_WEAK: ['CA signature digest algorithm too weak', 'A certificate in the chain is signed with SHA-1 or MD5, which OpenSSL 3 refuses.'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['Hostname/IP does not match certificate\'s altnames', 'The certificate does not name the host asked for.'],
};

export function verifyReason(code: string): { reason: string; explanation: string } {
  const known = VERIFY[code];
  if (known) return { reason: known[0], explanation: known[1] };
  return { reason: code.toLowerCase().replace(/_/g, ' '), explanation: 'The chain does not verify against the trust used.' };
}

/** Node's message with an OpenSSL error string reduced to its reason ("tlsv1 alert unknown ca"). */
export function opensslReason(message: string): string {
  const m = /error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+):/.exec(message);
  return m ? m[1]!.trim() : (message.split('\n')[0] ?? message).trim();
}

/** What a handshake failure means, from OpenSSL's reason (alerts are named after the peer's complaint). */
export function explainHandshake(reason: string, hasClientCert: boolean): string {
  const r = reason.toLowerCase();
  if (r.includes('certificate required')) {
    return 'The server requires a client certificate (Kamailio: verify_certificate = yes and require_certificate = yes) and none was given: use --cert and --key.';
  }
  if (r.includes('unknown ca')) {
    return hasClientCert
      ? 'The server does not trust the CA of the client certificate given with --cert: its ca_list lacks that root (or the intermediate is missing from --cert).'
      : 'The server refused with "unknown ca": it could not verify a certificate it was given.';
  }
  if (r.includes('bad certificate') || r.includes('certificate unknown') || r.includes('unsupported certificate')) {
    return 'The server refused the client certificate given with --cert (wrong purpose, expired, or not verifiable with its ca_list).';
  }
  if (r.includes('certificate expired')) return 'The server refused the client certificate because it has expired.';
  if (r.includes('unrecognized name')) return 'The server does not serve the name sent as SNI (--servername): no tls.cfg profile matches it and it refuses instead of using a default.';
  if (r.includes('handshake failure')) {
    return hasClientCert
      ? 'The server ended the handshake: no common protocol version or cipher (check --min-version/--max-version/--cipher and the tls.cfg `method`/`cipher_list`).'
      : 'The server ended the handshake: no common protocol version or cipher, or (TLS 1.2) it requires a client certificate (--cert/--key).';
  }
  if (r.includes('protocol version') || r.includes('unsupported protocol') || r.includes('no protocols available')) {
    return 'Client and server share no TLS version: compare --min-version/--max-version with the tls.cfg `method`.';
  }
  if (r.includes('wrong version number') || r.includes('packet length too long') || r.includes('record layer failure')) {
    return 'The port does not speak TLS: it is probably plain SIP over TCP (listen=tcp:), or another service.';
  }
  if (r.includes('no shared cipher') || r.includes('no cipher')) return 'Client and server share no cipher: compare --cipher with the tls.cfg `cipher_list`.';
  if (r.includes('dh key too small') || r.includes('key too small')) return 'The server\'s key exchange parameters are too weak for OpenSSL 3.';
  if (r.includes('disconnected') || r.includes('socket hang up') || r.includes('econnreset')) {
    return 'The server closed the connection during the handshake without saying why: a TLS listener that rejects this client (SNI, version, or a failing tls.cfg profile), or not a TLS port.';
  }
  return 'The TLS handshake failed.';
}

/** Network errors before TLS. */
export function explainNetwork(code: string, target: string): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return `The name in ${target} does not resolve: check it, or probe the IP address with --servername NAME.`;
    case 'ECONNREFUSED':
      return `Nothing listens on ${target}: is Kamailio running with listen=tls:… on this address and port (and enable_tls=yes)?`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target} is not reachable from here (routing or firewall).`;
    case 'ECONNRESET':
      return 'The connection was reset.';
    default:
      return `The connection to ${target} failed.`;
  }
}

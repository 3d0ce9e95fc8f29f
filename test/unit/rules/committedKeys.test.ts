// key.committed: a private key the configuration loads that git tracks in the repository checked,
// and nothing for a key that is untracked, ignored, encrypted without its password in the
// configuration, or when the host cannot (or may not) ask git. The host says what git tracks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { Checker } from '../../../server/src/core/check';
import { ProjectContexts } from '../../../server/src/core/project/context';
import { layeredSettings } from '../../../server/src/core/project/layers';
import type { Finding } from '../../../server/src/core/types';
import { TestPki, chainPem, keyPem, standardChain, RSA2048 } from '../../fixtures/pki';
import { only, one, r } from '../helpers';
import { checkRepository } from '../project/helpers';
import { NOW } from './certHarness';

const P = new TestPki(NOW);
const chain = standardChain(P, RSA2048, 'committed.example.com');
const KEY_PEM = keyPem(chain.leaf.privateKey);
const CERT_PEM = chainPem(chain.leaf, chain.intermediate);

const KAM = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';
const TLS = (cert: string, key: string, extra = '') => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${cert}\nprivate_key = ${key}\n${extra}`;
const REPO = {
  '/repo/.git/HEAD': 'ref: refs/heads/main\n',
  '/repo/kamailio.cfg': KAM,
  '/repo/tls.cfg': TLS('certs/server.pem', 'certs/server.key'),
  '/repo/certs/server.pem': CERT_PEM,
  '/repo/certs/server.key': KEY_PEM,
};
const MESSAGE =
  '[server:default]: private key certs/server.key is committed to the repository: anyone with read access to the repository can impersonate the server; remove it from git history, rotate the key, and provide it at deploy time (see path.deploy-time / .sip-tls.json mappings).';

function repoCheck(files: Record<string, string>, tracked: string[] | undefined, options: { live?: boolean } = {}): { findings: Finding[]; host: MemoryHost } {
  const host = new MemoryHost(files, NOW);
  if (tracked) host.setTracked('/repo', tracked);
  const out = checkRepository({}, '/repo', { host, ...(options.live ? { live: true } : {}) });
  return { findings: out.findings, host };
}

/** No PEM body line of the key in any message (a message names the file, never its contents). */
function assertNoKeyMaterial(findings: Finding[]): void {
  const body = KEY_PEM.split('\n').filter((l) => l && !l.startsWith('-----'));
  for (const f of findings) for (const l of body) assert.ok(!f.message.includes(l.slice(0, 16)), `key material in ${f.code}`);
}

test('key.committed: a tracked private_key is a warning on its value, naming the file relative to the repository', () => {
  const { findings } = repoCheck(REPO, ['/repo/kamailio.cfg', '/repo/tls.cfg', '/repo/certs/server.pem', '/repo/certs/server.key']);
  const f = one(findings, 'key.committed');
  assert.equal(f.file, '/repo/tls.cfg');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, r(3, 14, 3, 30));
  assert.equal(f.message, MESSAGE);
  assertNoKeyMaterial(findings);
});

test('key.committed: nothing for an untracked key, an ignored one, a tracked certificate, or when git cannot tell', () => {
  assert.equal(only(repoCheck(REPO, ['/repo/kamailio.cfg', '/repo/tls.cfg', '/repo/certs/server.pem']).findings, 'key.committed').length, 0, 'untracked');
  const ignored = { ...REPO, '/repo/.gitignore': '*.key\n' };
  assert.equal(only(repoCheck(ignored, ['/repo/kamailio.cfg', '/repo/tls.cfg', '/repo/.gitignore']).findings, 'key.committed').length, 0, 'ignored');
  // Ignored but added anyway (git add -f): git tracks it, and that is what counts.
  assert.equal(one(repoCheck(ignored, ['/repo/certs/server.key']).findings, 'key.committed').message, MESSAGE);
  assert.equal(only(repoCheck(REPO, undefined).findings, 'key.committed').length, 0, 'not a git work tree, git absent, or not allowed to run it');
  assert.equal(only(repoCheck(REPO, []).findings, 'key.committed').length, 0, 'nothing tracked');
});

test('key.committed: the live server is not asked about (its keys are where they belong)', () => {
  const { findings, host } = repoCheck(REPO, ['/repo/certs/server.key'], { live: true });
  assert.equal(only(findings, 'key.committed').length, 0);
  assert.equal(host.trackedAsked.size, 0, 'git is never asked for a live check');
});

test('key.committed: a combined cert+key PEM is said once, on private_key; as certificate alone it is said there', () => {
  const combined = { ...REPO, '/repo/tls.cfg': TLS('certs/combined.pem', 'certs/combined.pem'), '/repo/certs/combined.pem': CERT_PEM + KEY_PEM };
  const once = one(repoCheck(combined, ['/repo/certs/combined.pem']).findings, 'key.committed');
  assert.deepEqual(once.range, r(3, 14, 3, 32));
  assert.match(once.message, /^\[server:default\]: private key certs\/combined\.pem is committed to the repository/);
  // The key file is provided at deploy time, but the certificate file carries a key as well.
  const inCert = { ...REPO, '/repo/tls.cfg': TLS('certs/combined.pem', '/etc/kamailio/private/server.key'), '/repo/certs/combined.pem': CERT_PEM + KEY_PEM };
  const f = one(repoCheck(inCert, ['/repo/certs/combined.pem']).findings, 'key.committed');
  assert.deepEqual(f.range, r(2, 14, 2, 32));
  assert.match(f.message, /^\[server:default\]: certificate certs\/combined\.pem holds a private key and is committed to the repository: anyone with read access/);
});

test('key.committed: the private_key modparam, and a client profile', () => {
  const kam = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "certificate", "certs/server.pem")\nmodparam("tls", "private_key", "certs/server.key")\nrequest_route { drop; }\n';
  const { '/repo/tls.cfg': _tls, ...noTlsCfg } = REPO;
  const modparam = repoCheck({ ...noTlsCfg, '/repo/kamailio.cfg': kam }, ['/repo/certs/server.key']).findings;
  // The modparam-mode client profile shares the server's files: one finding, not two.
  const f = one(modparam, 'key.committed');
  assert.equal(f.file, '/repo/kamailio.cfg');
  assert.deepEqual(f.range, r(6, 31, 6, 49), "the quoted modparam value");
  assert.match(f.message, /private key certs\/server\.key is committed to the repository/);

  const client = { ...REPO, '/repo/tls.cfg': `[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\ncertificate = certs/server.pem\nprivate_key = certs/server.key\n` };
  const c = one(repoCheck(client, ['/repo/certs/server.key']).findings, 'key.committed');
  assert.deepEqual(c.range, r(4, 14, 4, 30));
  assert.match(c.message, /^\[client:default\]: private key certs\/server\.key is committed .* can impersonate this Kamailio when it connects to its peers;/);
});

test('key.committed: an encrypted key counts only with its password in the configuration', () => {
  const encrypted = { ...REPO, '/repo/certs/server.key': keyPem(chain.leaf.privateKey, 'pkcs8', 'secret') };
  assert.equal(only(repoCheck(encrypted, ['/repo/certs/server.key']).findings, 'key.committed').length, 0, 'the pass phrase is not in the repository');
  const withPassword = { ...encrypted, '/repo/tls.cfg': TLS('certs/server.pem', 'certs/server.key', 'private_key_password = secret\n') };
  const f = one(repoCheck(withPassword, ['/repo/certs/server.key']).findings, 'key.committed');
  assert.match(f.message, /private key certs\/server\.key \(encrypted, with its password in the configuration\) is committed/);
  assert.ok(!f.message.includes('secret'), 'the password is not repeated');
});

test('key.committed: a key added to git after a check shows on the next check (the reused rule run notices)', () => {
  // An hour past the certificates' dates: on a date boundary no rule run is reused at all.
  const host = new MemoryHost(REPO, new Date(NOW.getTime() + 3_600_000));
  host.setTracked('/repo', ['/repo/tls.cfg']);
  const checker = new Checker(host);
  const contexts = new ProjectContexts(host);
  const settings = layeredSettings(contexts.contextFor('/repo/kamailio.cfg', { checkedFolder: '/repo' }), {});
  const request = { files: ['/repo/kamailio.cfg'], settingsFor: () => settings };
  assert.equal(only(checker.check(request).findings, 'key.committed').length, 0);
  const asked = host.trackedAsked.get('/repo');
  assert.equal(only(checker.check(request).findings, 'key.committed').length, 0);
  assert.equal(host.trackedAsked.get('/repo'), asked! + 1, 'the second check reused the rule run: only the reuse test asked');
  host.setTracked('/repo', ['/repo/tls.cfg', '/repo/certs/server.key']);
  assert.equal(one(checker.check(request).findings, 'key.committed').message, MESSAGE);
  host.setTracked('/repo', ['/repo/tls.cfg']);
  assert.equal(only(checker.check(request).findings, 'key.committed').length, 0, 'git rm --cached');
});

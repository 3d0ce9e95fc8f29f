// The smallest configuration that triggers a code, for `sip-tls explain` (and any other face of
// the catalog). Only codes with a natural one-file example are here: a code about certificates,
// keys or chains needs PEM files beside the configuration, and one about a deployment needs its
// repository. test/cli/explain.test.ts checks every example through the real CLI: it must
// produce its code.
import type { CatalogExample } from './catalog';

const tls = (text: string, options?: readonly string[]): CatalogExample => ({ file: 'tls.cfg', text, ...(options ? { options } : {}) });
const kam = (text: string): CatalogExample => ({ file: 'kamailio.cfg', text });

export const EXAMPLES: Readonly<Record<string, CatalogExample>> = {
  'tlscfg.syntax': tls('[server:default]\nmethod TLSv1.2+\n'),
  'tlscfg.bad-header': tls('[server:localhost:5061]\nmethod = TLSv1.2+\n'),
  'tlscfg.unknown-option': tls('[server:default]\nrequire_certiificate = yes\n'),
  'tlscfg.bad-value': tls('[server:default]\nverify_certificate = maybe\n'),
  'tlscfg.version-gated': tls('[server:default]\nmethod = TLSv1.3+\n', ['--kamailio-version', '5.6']),
  'tlscfg.value-ignored': tls('[server:default]\nserver_name_mode = 5\n'),
  'tlscfg.duplicate-option': tls('[server:default]\nmethod = TLSv1.2+\nmethod = TLSv1.3+\n'),
  'tlscfg.duplicate-profile': tls('[server:default]\nmethod = TLSv1.2+\n[server:default]\nmethod = TLSv1.3+\n'),
  'tlscfg.any-without-server-name': tls('[server:any]\nmethod = TLSv1.2+\n'),
  'tlscfg.missing-default': tls('[server:10.0.0.1:5061]\nmethod = TLSv1.2+\n'),
  'tls.protocol-outdated': tls('[server:default]\nmethod = TLSv1\n'),
  'tls.verify-no-ca': tls('[client:default]\nverify_certificate = yes\n'),
  'tls.verify-off': tls('[client:default]\nverify_certificate = no\n'),
  'kamcfg.syntax': kam('request_route {\n  exit;\n'),
  'kamcfg.unterminated-comment': kam('/* never closed\nloadmodule "tls.so"\n'),
  'kamcfg.obsolete-core-param': kam('tls_method=TLSv1.2\n'),
  'kamcfg.bad-listen': kam('listen=tls:0.0.0:5061\n'),
  'kamcfg.port-out-of-range': kam('listen=tls:10.0.0.1:70000\n'),
  'kamcfg.tls-module-missing': kam('enable_tls=yes\nlisten=tls:10.0.0.1:5061\n'),
  'kamcfg.tls-not-enabled': kam('loadmodule "tls.so"\nlisten=tls:10.0.0.1:5061\n'),
  'kamcfg.unknown-modparam': kam('loadmodule "tls.so"\nmodparam("tls", "certifcate", "/etc/kamailio/server.crt")\n'),
  'kamcfg.modparam-before-loadmodule': kam('modparam("tls", "config", "/etc/kamailio/tls.cfg")\nloadmodule "tls.so"\n'),
  'kamcfg.unknown-core-param': kam('tls_max_conections=100\n'),
  'kamcfg.tls-keylog': kam('enable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "keylog_mode", 1)\n'),
};

// The real syntax faults of the corpus (../shared/corpus): the only places where kamcfg.syntax
// may appear on real deployments.
/**
 * Real faults: `file:line` (1-based, path below kamailio/) → why. Each was confirmed with
 * `kamailio -c` (5.6.3): the "different number of preprocessor directives" error, or for the
 * unbalanced quote a minimal copy of the line ("unexpected EOF in unclosed string").
 */
export const EXPECTED_SYNTAX_FAULTS: Record<string, string> = {
  'webstean__simple-sip-proxy/etc/kamailio/kamailio.cfg:37': 'the #!ifdef WITH_APIBAN is never closed …',
  'webstean__simple-sip-proxy/etc/kamailio/kamailio.cfg:40': '… because `#!endif WITH_APIBAN` is a comment to Kamailio',
  'HieuAnh87__Kamailio/kamailio.cfg:1286': 'the last #!ifdef is never closed …',
  'HieuAnh87__Kamailio/kamailio.cfg:1414': '… because the file ends in `#!endif` without a newline',
  'hamidrhashmi__HBVideo/kamailio.cfg:1466': 'the last #!ifdef is never closed …',
  'hamidrhashmi__HBVideo/kamailio.cfg:1474': '… because the file ends in `#!endif` without a newline',
  'altanai__kamailioexamples/webrtc_to_webrtc_ws/websocket_tls_webrtc_kamailio.cfg:19': 'a stray #!endif ("1 more #!endif as #!if[n]def")',
  'kamailio__kamailio/etc/sip-router.cfg:183': '#!ifdef WITH_TLS is never closed (8 #!if…, 7 #!endif)',
  'kamailio__kamailio/misc/examples/pkg/sip-router-oob.cfg:1718': 'an #!ifdef is never closed',
  'john8675309__kamailio-wss/kamailio.cfg:263': 'request_route never closes: the quotes stop pairing at line 420 …',
  'john8675309__kamailio-wss/kamailio.cfg:636': '… proxy_authorize("x.yourrealm.com, "subscriber") leaves a string open to EOF',
};

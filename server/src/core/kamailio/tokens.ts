// Tokens of kamailio.cfg as Kamailio's flex scanner (src/core/cfg.lex) produces them, and the
// reserved words that decide whether a word is an ID (which #!define expansion and host names
// accept) or a keyword token. Reference §4.

/** A `#!`/`!!` preprocessor directive as cfg.lex recognises it. */
export type DirectiveName =
  | 'define'
  | 'trydef'
  | 'redefine'
  | 'defexp'
  | 'defexps'
  | 'undef'
  | 'tryundef'
  | 'ifdef'
  | 'ifndef'
  | 'ifexp'
  | 'else'
  | 'endif'
  | 'subst'
  | 'substdef'
  | 'substdefs'
  | 'defenv'
  | 'defenvs'
  | 'trydefenv'
  | 'trydefenvs';

export interface Span {
  text: string;
  start: number;
  end: number;
}

export interface DirectiveToken {
  name: DirectiveName;
  /** As written after `#!`, e.g. `def`, `trydefine`, `redef`. */
  spelling: string;
  /** `#!` or `!!`. */
  prefix: string;
  /** The directive keyword including its prefix, e.g. `#!define`. */
  keyword: Span;
  /** The define / ifdef name, or the `NAME=ENVVAR` argument of the defenv family. */
  id?: Span;
  /** Raw value text of the define family (rest of the line, continuations joined). */
  value?: Span;
  /** `#!ifexp` expression text. */
  expression?: Span;
  /** Kamailio exits on this directive (e.g. a '-' right after the name). */
  fatal?: string;
}

export interface IncludeToken {
  directive: 'include_file' | 'import_file';
  /** Written with a `#!`/`!!` prefix. */
  prefixed: boolean;
  /** The file name token as Kamailio reads it: everything up to white space, quotes included. */
  name?: Span;
}

export type TokenKind =
  | 'word' // ID, NUM_ID or a keyword
  | 'number' // decimal, 0x hex, leading-0 octal, [01]+b binary
  | 'ipv6' // IPV6ADDR
  | 'string' // "…" (adjacent ones joined) or '…'
  | 'pvar' // $x, $x(…), $(…), $?, $rc, $retcode
  | 'punct' // operators and punctuation
  | 'event-name' // the name inside event_route[…]
  | 'directive' // #!define, #!ifdef, …
  | 'include'; // include_file / import_file with its file name

export interface Token {
  kind: TokenKind;
  /** Offset of the first character in the text that was lexed. */
  start: number;
  /** Offset just after the last character. */
  end: number;
  /** The source text of the token. */
  text: string;
  /** Strings: the unescaped content; numbers: the value in decimal. */
  value?: string;
  /** A line break separates this token from the previous one (or it is the first token). */
  newlineBefore: boolean;
  /** White space (or a comment) separates it from the previous token where it was lexed. */
  spaceBefore: boolean;
  /** Absolute path of the file the token is written in ('' for a lexed #!define value). */
  file: string;
  directive?: DirectiveToken;
  include?: IncludeToken;
}

/** Words that cfg.lex turns into keyword tokens (master). Everything else matching ID is an ID. */
const KEYWORD_LIST = `
forward forward_tcp forward_udp forward_tls forward_sctp drop exit return return_mode break log error
route request_route failure_route reply_route onreply_route branch_route onsend_route event_route exec
force_rport add_rport local_rport add_local_rport force_tcp_alias add_tcp_alias udp_mtu udp_mtu_try_proto
udp4_raw udp4_raw_mtu udp4_raw_ttl setflag resetflag isflagset flags bool setavpflag resetavpflag
isavpflagset avpflags rewritehost sethost seth rewritehostport sethostport sethp rewritehostporttrans
sethostporttrans sethpt rewriteuser setuser setu rewriteuserpass setuserpass setup rewriteport setport
setp rewriteuri seturi revert_uri prefix strip strip_tail userphone remove_branch clear_branches if else
set_advertised_address set_advertised_port force_send_socket set_forward_no_connect set_reply_no_connect
set_forward_close set_reply_close switch case default while cfg_select cfg_reset max_len method uri
status from_uri to_uri src_ip src_port dst_ip dst_port snd_ip snd_port snd_proto to_proto snd_af to_af
to_ip to_port proto af myself not and or mod strlen strempty defined selval eq ieq ne ine
debug fork fork_delay modinit_delay log_stderror log_facility log_name log_color log_prefix
log_prefix_mode log_engine_type log_engine_data xavp_via_params xavp_via_fields xavp_via_reply_params
listen advertise ADVERTISE virtual name NAME alias domain auto_aliases auto_domains dns rev_dns
dns_rev_via dns_try_ipv6 dns_try_naptr dns_srv_lb dns_srv_loadbalancing dns_udp_pref dns_udp_preference
dns_tcp_pref dns_tcp_preference dns_tls_pref dns_tls_preference dns_sctp_pref dns_sctp_preference
dns_retr_time dns_slow_query_ms dns_retr_no dns_servers_no dns_use_search_list dns_search_full_match
dns_naptr_ignore_rfc dns_cache_init use_dns_cache dns_use_cache use_dns_failover dns_use_failover
dns_cache_flags dns_cache_negative_ttl dns_cache_min_ttl dns_cache_max_ttl dns_cache_mem
dns_cache_gc_interval dns_cache_del_nonexp dns_cache_delete_nonexpired dns_cache_rec_pref auto_bind_ipv6
bind_ipv6_link_local ipv6_hex_style dst_blocklist_init use_dst_blocklist dst_blocklist_mem
dst_blocklist_expire dst_blocklist_ttl dst_blocklist_gc_interval dst_blocklist_udp_imask
dst_blocklist_tcp_imask dst_blocklist_tls_imask dst_blocklist_sctp_imask ip_free_bind ipfreebind
ip_nonlocal_bind port statistics stats_name_separator maxbuffer maxsndbuffer sql_buffer_size
msg_recv_max_size tcp_msg_read_timeout tcp_msg_data_timeout tcp_accept_iplimit tcp_check_timer children
socket bind workers socket_workers async_workers async_usleep async_nonblock async_workers_group
async_tkv_evcb async_tkv_gname check_via phone2tel memlog mem_log memdbg mem_dbg mem_summary mem_safety
mem_join mem_status_mode mem_add_size corelog core_log sip_parser_log_oneline sip_parser_log
sip_parser_mode sip_warning server_signature server_header user_agent_header reply_to_via user uid group
gid chroot workdir wdir rundir run_dir mhomed disable_tcp tcp_children tcp_accept_aliases
tcp_accept_unique tcp_send_timeout tcp_connect_timeout tcp_connection_lifetime tcp_connection_match
tcp_poll_method tcp_max_connections tls_max_connections tcp_no_connect tcp_source_ipv4 tcp_source_ipv6
tcp_fd_cache tcp_buf_write tcp_async tcp_conn_wq_max tcp_wq_max tcp_rd_buf_size tcp_wq_blk_size
tcp_defer_accept tcp_delayed_ack tcp_syncnt tcp_linger2 tcp_keepalive tcp_keepidle tcp_keepintvl
tcp_keepcnt tcp_crlf_ping tcp_accept_no_cl tcp_accept_hep3 tcp_accept_haproxy tcp_accept_protocols
tcp_accept_protos tcp_close_rst tcp_clone_rcvbuf tcp_reuse_port tcp_wait_data tcp_script_mode
tcp_listen_backlog tcp_main_threads disable_tls tls_disable enable_tls tls_enable tls_threads_mode
tls_connection_match_domain tlslog tls_log tls_port_no tls_method tls_verify tls_require_certificate
tls_certificate tls_private_key tls_ca_list tls_handshake_timeout tls_send_timeout disable_sctp
enable_sctp sctp_children advertised_address advertised_port disable_core_dump open_files_limit shm
shm_mem shm_mem_size shm_force_alloc mlock_pages real_time rt_prio rt_policy rt_timer1_prio
rt_fast_timer_prio rt_ftimer_prio rt_timer1_policy rt_ftimer_policy rt_timer2_prio rt_stimer_prio
rt_timer2_policy rt_stimer_policy mcast_loopback mcast_ttl mcast tos pmtu_discovery exit_timeout
ser_kill_timeout max_while_loops pv_buffer_size pv_buffer_slots pv_cache_limit pv_cache_action
http_reply_hack http_reply_parse version_table verbose_startup server_id route_locks_size
wait_worker1_mode wait_worker1_time wait_worker1_usleep kemi onsend_route_callback reply_route_callback
event_route_callback received_route_callback received_route_mode pre_routing_callback
request_route_callback max_recursive_level max_branches latency_cfg_log latency_log latency_limit_db
latency_limit_action latency_limit_cfg rpc_exec_delta rpc_exec_locks rpc_exec_locks_mode
uri_host_extra_chars hdr_name_extra_chars msg_time msg_apply_changes_mode msg_clone_extra_size
onsend_route_reply description descr desc loadmodule loadmodulex loadpath mpath modparam modparamx
cfgengine include_file import_file
yes true on enable no false off disable udp UDP tcp TCP tls TLS sctp SCTP ws WS wss WSS inet INET ipv4
IPv4 IPV4 inet6 INET6 ipv6 IPv6 IPV6 sslv23 SSLv23 SSLV23 sslv2 SSLv2 SSLV2 sslv3 SSLv3 SSLV3 tlsv1
TLSv1 TLSV1
`;

/**
 * Keywords that only newer releases than 5.6 have (5.6.3 lexes these as plain IDs: verified with
 * `kamailio -c`, e.g. `sip.domain.com` is a valid host there while later grammars see DOMAIN).
 */
const NEWER_THAN_5_6 = new Set(
  `return_mode local_rport selval xavp_via_reply_params domain auto_domains dns_rev_via dns_use_cache
dns_use_failover maxsndbuffer msg_recv_max_size tcp_msg_read_timeout tcp_msg_data_timeout
tcp_accept_iplimit tcp_check_timer socket bind workers async_tkv_evcb async_tkv_gname mem_add_size
tcp_accept_protocols tcp_accept_protos tcp_close_rst tcp_listen_backlog tcp_main_threads
tls_threads_mode tls_connection_match_domain request_route_callback rpc_exec_delta rpc_exec_locks
rpc_exec_locks_mode msg_apply_changes_mode msg_clone_extra_size`
    .split(/\s+/)
    .filter(Boolean),
);

export const KEYWORDS: ReadonlySet<string> = new Set(KEYWORD_LIST.split(/\s+/).filter(Boolean));

/** Keywords in every release the checker knows (5.4 … master): safe to call reserved. */
export const KEYWORDS_SINCE_5_6: ReadonlySet<string> = new Set([...KEYWORDS].filter((k) => !NEWER_THAN_5_6.has(k)));

/** `yes true on enable` / `no false off disable` lex as NUMBER 1 / 0 (lower case only). */
export const TRUE_WORDS: ReadonlySet<string> = new Set(['yes', 'true', 'on', 'enable']);
export const FALSE_WORDS: ReadonlySet<string> = new Set(['no', 'false', 'off', 'disable']);

/** `inet`/`ipv4` and `inet6`/`ipv6` spellings lex as NUMBER (AF_INET / AF_INET6). */
export const AF_WORDS: ReadonlySet<string> = new Set(['inet', 'INET', 'ipv4', 'IPv4', 'IPV4', 'inet6', 'INET6', 'ipv6', 'IPv6', 'IPV6']);

/** Words Kamailio's grammar accepts as `proto` in listen/alias (all-lower or all-upper only). */
export const PROTO_WORDS: ReadonlyMap<string, 'udp' | 'tcp' | 'tls' | 'sctp'> = new Map([
  ['udp', 'udp'],
  ['UDP', 'udp'],
  ['tcp', 'tcp'],
  ['TCP', 'tcp'],
  ['tls', 'tls'],
  ['TLS', 'tls'],
  ['sctp', 'sctp'],
  ['SCTP', 'sctp'],
]);

const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A word cfg.lex returns as ID: identifier-shaped and not a keyword. */
export function isIdWord(text: string): boolean {
  return ID_RE.test(text) && !KEYWORDS.has(text);
}

/** A word the grammar reads as a NUMBER token (booleans and address-family words). */
export function isNumberWord(text: string): boolean {
  return TRUE_WORDS.has(text) || FALSE_WORDS.has(text) || AF_WORDS.has(text);
}

export function isWordToken(t: Token | undefined, text?: string): boolean {
  return t !== undefined && t.kind === 'word' && (text === undefined || t.text === text);
}

export function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

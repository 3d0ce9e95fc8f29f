// Every core parameter that can be assigned at the top level of kamailio.cfg (`name = value`),
// with its aliases, its value type and the first release that accepts it. Sources: the
// assign_stm rules of src/core/cfg.y and the config-var tokens of src/core/cfg.lex (master and a
// 5.7-era snapshot), reference §3 and §4.7. Every name below was also run through
// `kamailio -c` of 5.6.3: a name 5.6.3 rejects with "unknown config variable" carries a `since`
// of at least 5.7 (`sinceIsLowerBound` when the exact release could not be read from a branch).
// Names are case-sensitive, like Kamailio's lexer.

export type CoreParamValueType = 'bool' | 'int' | 'string' | 'other';

/**
 * SER-era core TLS settings (reference §3 "Legacy core names"):
 * - `ignored`: lexed and parsed, then dropped with the warning "tls-in-core support not compiled
 *   in" (only a CORE_TLS build would use them; modern builds never define it);
 * - `sets-tls-port`: `tls_log`/`tlslog` — the lexer returns the TLS_PORT_NO token, so the value
 *   silently becomes the TLS port.
 */
export type LegacyTlsKind = 'ignored' | 'sets-tls-port';

export interface CoreParamSpec {
  /** Canonical spelling (the first one cfg.lex lists). */
  name: string;
  /** Other spellings for the same token. */
  aliases: readonly string[];
  type: CoreParamValueType;
  /** `user = kamailio` style: an unquoted identifier is accepted as well as a string. */
  acceptsIdentifier?: boolean;
  /** First Kamailio version that accepts the name, when that is 5.4 or later. */
  since?: string;
  /** 5.6.3 rejects the name but the exact first release is not verified; `since` is the lowest possible. */
  sinceIsLowerBound?: boolean;
  /** The release within `since` that first has it, when it came as a backport (e.g. 5.7.5). */
  sinceRelease?: string;
  legacyTls?: LegacyTlsKind;
  /** Takes a `{ … }` block (socket). */
  block?: boolean;
  note?: string;
}

type Row = [names: string, type: CoreParamValueType, extra?: Partial<Omit<CoreParamSpec, 'name' | 'aliases' | 'type'>>];

const LATER: Partial<CoreParamSpec> = { since: '5.7', sinceIsLowerBound: true };

// "a|b|c": the first name is canonical, the others are aliases.
const ROWS: Row[] = [
  ['advertised_address', 'other'],
  ['advertised_port', 'int'],
  ['alias', 'other'],
  ['async_nonblock', 'int'],
  ['async_tkv_evcb', 'string', LATER],
  ['async_tkv_gname', 'string', LATER],
  ['async_usleep', 'int'],
  ['async_workers', 'int'],
  ['async_workers_group', 'string'],
  ['auto_aliases', 'bool'],
  ['auto_bind_ipv6', 'bool'],
  ['auto_domains', 'bool', LATER],
  ['bind_ipv6_link_local', 'bool'],
  ['check_via', 'bool'],
  ['children', 'int'],
  ['chroot', 'string', { acceptsIdentifier: true }],
  ['corelog|core_log', 'int'],
  ['debug', 'int'],
  ['disable_core_dump', 'bool'],
  ['disable_sctp', 'bool'],
  ['disable_tcp', 'bool'],
  ['disable_tls|tls_disable', 'bool'],
  ['dns', 'bool'],
  ['dns_cache_del_nonexp|dns_cache_delete_nonexpired', 'bool'],
  ['dns_cache_flags', 'int'],
  ['dns_cache_gc_interval', 'int'],
  ['dns_cache_init', 'bool'],
  ['dns_cache_max_ttl', 'int'],
  ['dns_cache_mem', 'int'],
  ['dns_cache_min_ttl', 'int'],
  ['dns_cache_negative_ttl', 'int'],
  ['dns_cache_rec_pref', 'int'],
  ['dns_naptr_ignore_rfc', 'bool'],
  ['dns_retr_no', 'int'],
  ['dns_retr_time', 'int'],
  ['dns_sctp_pref|dns_sctp_preference', 'int'],
  ['dns_search_full_match', 'bool'],
  ['dns_servers_no', 'int'],
  ['dns_slow_query_ms', 'int'],
  ['dns_srv_lb|dns_srv_loadbalancing', 'bool'],
  ['dns_tcp_pref|dns_tcp_preference', 'int'],
  ['dns_tls_pref|dns_tls_preference', 'int'],
  ['dns_try_ipv6', 'bool'],
  ['dns_try_naptr', 'bool'],
  ['dns_udp_pref|dns_udp_preference', 'int'],
  ['dns_use_search_list', 'bool'],
  ['domain', 'other', { since: '5.7', note: 'same syntax as alias' }],
  ['dst_blocklist_expire|dst_blocklist_ttl', 'int'],
  ['dst_blocklist_gc_interval', 'int'],
  ['dst_blocklist_init', 'bool'],
  ['dst_blocklist_mem', 'int'],
  ['dst_blocklist_sctp_imask', 'int'],
  ['dst_blocklist_tcp_imask', 'int'],
  ['dst_blocklist_tls_imask', 'int'],
  ['dst_blocklist_udp_imask', 'int'],
  ['enable_sctp', 'int', { note: '0 off, 1 on, 2 auto' }],
  ['enable_tls|tls_enable', 'bool'],
  ['exit_timeout|ser_kill_timeout', 'int'],
  ['force_rport|add_rport', 'bool'],
  ['fork', 'bool'],
  ['fork_delay', 'int'],
  ['group|gid', 'string', { acceptsIdentifier: true }],
  ['hdr_name_extra_chars', 'string'],
  ['http_reply_parse|http_reply_hack', 'bool'],
  ['ip_free_bind|ipfreebind|ip_nonlocal_bind', 'int'],
  ['ipv6_hex_style', 'string'],
  ['kemi.event_route_callback', 'string'],
  ['kemi.onsend_route_callback', 'string'],
  ['kemi.pre_routing_callback', 'string'],
  ['kemi.received_route_callback', 'string'],
  ['kemi.reply_route_callback', 'string'],
  ['kemi.request_route_callback', 'string', LATER],
  ['latency_cfg_log', 'int'],
  ['latency_limit_action', 'int'],
  ['latency_limit_cfg', 'int'],
  ['latency_limit_db', 'int'],
  ['latency_log', 'int'],
  ['listen', 'other'],
  ['loadpath|mpath', 'string', { note: 'module statement; the `=` is optional' }],
  ['local_rport', 'bool'],
  ['log_color', 'bool'],
  ['log_engine_data', 'string'],
  ['log_engine_type', 'string'],
  ['log_facility', 'other', { note: 'a syslog facility name such as LOG_LOCAL0' }],
  ['log_name', 'string'],
  ['log_prefix', 'string'],
  ['log_prefix_mode', 'int'],
  ['log_stderror', 'bool'],
  ['max_branches', 'int'],
  ['max_recursive_level', 'int'],
  ['max_while_loops', 'int'],
  ['maxbuffer', 'int'],
  ['maxsndbuffer', 'int', LATER],
  ['mcast', 'string', { acceptsIdentifier: true }],
  ['mcast_loopback', 'bool'],
  ['mcast_ttl', 'int'],
  ['mem_add_size', 'int', LATER],
  ['mem_join', 'int'],
  ['mem_safety', 'int'],
  ['mem_status_mode', 'int'],
  ['mem_summary', 'int'],
  ['memdbg|mem_dbg', 'int'],
  ['memlog|mem_log', 'int'],
  ['mhomed', 'bool'],
  ['mlock_pages', 'bool'],
  ['modinit_delay', 'int'],
  ['msg_apply_changes_mode', 'int', LATER],
  ['msg_clone_extra_size', 'int', LATER],
  ['msg_recv_max_size', 'int', LATER],
  ['msg_time', 'int'],
  ['onsend_route_reply', 'bool'],
  ['open_files_limit', 'int'],
  ['phone2tel', 'bool'],
  ['pmtu_discovery', 'int'],
  ['port', 'int'],
  ['pv_buffer_size', 'int'],
  ['pv_buffer_slots', 'int'],
  ['pv_cache_action', 'int'],
  ['pv_cache_limit', 'int'],
  ['real_time', 'int'],
  ['received_route_mode', 'int'],
  ['reply_to_via', 'bool'],
  ['return_mode', 'int', LATER],
  ['rev_dns|dns_rev_via', 'bool'],
  ['route_locks_size', 'int'],
  ['rpc_exec_delta', 'int', LATER],
  ['rpc_exec_locks', 'int', LATER],
  ['rpc_exec_locks_mode', 'int', LATER],
  ['rt_policy', 'int'],
  ['rt_prio', 'int'],
  ['rt_timer1_policy|rt_ftimer_policy', 'int'],
  ['rt_timer1_prio|rt_fast_timer_prio|rt_ftimer_prio', 'int'],
  ['rt_timer2_policy|rt_stimer_policy', 'int'],
  ['rt_timer2_prio|rt_stimer_prio', 'int'],
  ['rundir|run_dir', 'string', { acceptsIdentifier: true }],
  ['sctp_children', 'int'],
  ['server_header', 'string'],
  ['server_id', 'int'],
  ['server_signature', 'bool'],
  ['shm|shm_mem|shm_mem_size', 'int'],
  ['shm_force_alloc', 'bool'],
  ['sip_parser_log', 'int'],
  ['sip_parser_log_oneline', 'int'],
  ['sip_parser_mode', 'int'],
  ['sip_warning', 'bool'],
  ['socket', 'other', { since: '5.7', block: true, note: 'socket = { bind = proto:addr:port; … }' }],
  ['socket_workers', 'int'],
  ['sql_buffer_size', 'int'],
  ['stats_name_separator', 'string'],
  ['tcp_accept_aliases', 'bool'],
  ['tcp_accept_haproxy', 'bool'],
  ['tcp_accept_hep3', 'bool'],
  ['tcp_accept_iplimit', 'int', LATER],
  ['tcp_accept_no_cl', 'bool'],
  ['tcp_accept_protocols|tcp_accept_protos', 'other', LATER],
  ['tcp_accept_unique', 'int'],
  ['tcp_buf_write|tcp_async', 'bool'],
  ['tcp_check_timer', 'int', LATER],
  ['tcp_children', 'int'],
  ['tcp_clone_rcvbuf', 'int'],
  ['tcp_close_rst', 'bool', LATER],
  ['tcp_conn_wq_max', 'int'],
  ['tcp_connect_timeout', 'int'],
  ['tcp_connection_lifetime', 'int'],
  ['tcp_connection_match', 'int'],
  ['tcp_crlf_ping', 'bool'],
  ['tcp_defer_accept', 'int'],
  ['tcp_delayed_ack', 'bool'],
  ['tcp_fd_cache', 'bool'],
  ['tcp_keepalive', 'bool'],
  ['tcp_keepcnt', 'int'],
  ['tcp_keepidle', 'int'],
  ['tcp_keepintvl', 'int'],
  ['tcp_linger2', 'int'],
  ['tcp_listen_backlog', 'int', LATER],
  ['tcp_main_threads', 'int', LATER],
  ['tcp_max_connections', 'int'],
  ['tcp_msg_data_timeout', 'int', LATER],
  ['tcp_msg_read_timeout', 'int', LATER],
  ['tcp_no_connect', 'bool'],
  ['tcp_poll_method', 'other', { acceptsIdentifier: true }],
  ['tcp_rd_buf_size', 'int'],
  ['tcp_reuse_port', 'bool'],
  ['tcp_script_mode', 'int'],
  ['tcp_send_timeout', 'int'],
  ['tcp_source_ipv4', 'other'],
  ['tcp_source_ipv6', 'other'],
  ['tcp_syncnt', 'int'],
  ['tcp_wait_data', 'int'],
  ['tcp_wq_blk_size', 'int'],
  ['tcp_wq_max', 'int'],
  ['tls_ca_list', 'string', { legacyTls: 'ignored' }],
  ['tls_certificate', 'string', { legacyTls: 'ignored' }],
  ['tls_connection_match_domain', 'int', { since: '6.1' }],
  ['tls_handshake_timeout', 'int', { legacyTls: 'ignored' }],
  ['tls_max_connections', 'int'],
  ['tls_method', 'other', { legacyTls: 'ignored', note: 'only the bare words SSLv23, SSLv2, SSLv3 and TLSv1 parse; TLSv1.2 is a parse error' }],
  ['tls_port_no', 'int'],
  ['tls_private_key', 'string', { legacyTls: 'ignored' }],
  ['tls_require_certificate', 'bool', { legacyTls: 'ignored' }],
  ['tls_send_timeout', 'int', { legacyTls: 'ignored' }],
  // Added in 5.8 and backported to 5.7.5 (PR #3754, merged 2024-02 after 5.7.4).
  ['tls_threads_mode', 'int', { since: '5.7', sinceRelease: '5.7.5' }],
  ['tls_verify', 'bool', { legacyTls: 'ignored' }],
  ['tlslog|tls_log', 'int', { legacyTls: 'sets-tls-port' }],
  ['tos', 'other', { note: 'a number or IPTOS_* name' }],
  ['udp4_raw', 'int'],
  ['udp4_raw_mtu', 'int'],
  ['udp4_raw_ttl', 'int'],
  ['udp_mtu', 'int'],
  ['udp_mtu_try_proto', 'other', { note: 'TCP, TLS, SCTP or UDP' }],
  ['uri_host_extra_chars', 'string'],
  ['use_dns_cache|dns_use_cache', 'bool'],
  ['use_dns_failover|dns_use_failover', 'bool'],
  ['use_dst_blocklist', 'bool'],
  ['user|uid', 'string', { acceptsIdentifier: true }],
  ['user_agent_header', 'string'],
  ['verbose_startup', 'bool'],
  ['version_table', 'string'],
  ['wait_worker1_mode', 'int'],
  ['wait_worker1_time', 'int'],
  ['wait_worker1_usleep', 'int'],
  ['workdir|wdir', 'string', { acceptsIdentifier: true }],
  ['xavp_via_fields', 'string'],
  ['xavp_via_params', 'string'],
  ['xavp_via_reply_params', 'string', LATER],
];

/** Aliases that appeared later than their canonical name (5.6.3 rejects them). */
const ALIAS_SINCE: Record<string, string> = {
  dns_rev_via: '5.7',
  dns_use_cache: '5.7',
  dns_use_failover: '5.7',
};

const TABLE = new Map<string, CoreParamSpec>();
const CANONICAL: CoreParamSpec[] = [];
for (const [names, type, extra] of ROWS) {
  const [name, ...aliases] = names.split('|') as [string, ...string[]];
  const spec: CoreParamSpec = { name, aliases, type, ...extra };
  CANONICAL.push(spec);
  TABLE.set(name, spec);
  for (const a of aliases) {
    const since = ALIAS_SINCE[a];
    TABLE.set(a, since ? { ...spec, since, sinceIsLowerBound: true } : spec);
  }
}

/** The spec for a name as written (case-sensitive), aliases included; undefined when unknown. */
export function lookupCoreParam(name: string): CoreParamSpec | undefined {
  return TABLE.get(name);
}

/** Every assignable spelling (canonical names and aliases), for completion and suggestions. */
export function allCoreParamNames(): string[] {
  return [...TABLE.keys()].sort();
}

export function coreParamSpecs(): readonly CoreParamSpec[] {
  return CANONICAL;
}

/**
 * `group.var = value [desc "…"]` declares a custom cfg-framework variable; any dotted name but
 * `kemi.*` is one. Such names are never "unknown".
 */
export function isCustomCfgVarName(name: string): boolean {
  return name.includes('.') && !name.startsWith('kemi.');
}

/**
 * Names Kamailio does not accept although people write them (reference §3, §4.7, §8), with what
 * to use instead where there is something.
 */
export const REJECTED_CORE_PARAMS: Readonly<Record<string, { reason: string; replacement?: string }>> = {
  statistics: { reason: 'lexed by cfg.lex but no grammar rule assigns it: a parse error' },
  dst_blacklist_init: { reason: 'renamed', replacement: 'dst_blocklist_init' },
  dst_blacklist_expire: { reason: 'renamed', replacement: 'dst_blocklist_expire' },
  dst_blacklist_ttl: { reason: 'renamed', replacement: 'dst_blocklist_ttl' },
  dst_blacklist_mem: { reason: 'renamed', replacement: 'dst_blocklist_mem' },
  dst_blacklist_gc_interval: { reason: 'renamed', replacement: 'dst_blocklist_gc_interval' },
  dst_blacklist_udp_imask: { reason: 'renamed', replacement: 'dst_blocklist_udp_imask' },
  dst_blacklist_tcp_imask: { reason: 'renamed', replacement: 'dst_blocklist_tcp_imask' },
  dst_blacklist_tls_imask: { reason: 'renamed', replacement: 'dst_blocklist_tls_imask' },
  dst_blacklist_sctp_imask: { reason: 'renamed', replacement: 'dst_blocklist_sctp_imask' },
  use_dst_blacklist: { reason: 'renamed', replacement: 'use_dst_blocklist' },
  tls_verify_client: { reason: 'OpenSER 1.x core parameter, never in Kamailio: a parse error' },
  tls_require_client_certificate: { reason: 'OpenSER 1.x core parameter, never in Kamailio: a parse error' },
  tls_verify_server: { reason: 'OpenSER 1.x core parameter, never in Kamailio: a parse error' },
  tls_ciphers_list: { reason: 'OpenSER 1.x core parameter, never in Kamailio: a parse error' },
  tls_client_domain_avp: { reason: 'OpenSER 1.x core parameter, never in Kamailio: a parse error' },
};

/**
 * Version-dependent syntax the parser records (a rule gates it against the target version).
 * `since: undefined` with `upstream: false` means no upstream Kamailio release has it.
 */
export const SYNTAX_FEATURES = {
  /** `socket = { … }` blocks (ListenSocket.socketBlock). Parse error on 5.6 [tested]. */
  socketBlock: { since: '5.7' },
  /** `advertise PROTO:host:port` (ListenSocket.advertise.proto); parse error on 5.6/5.7. */
  advertiseProto: { since: '5.8' },
  /** `#!ifexp` (5.6.3 reads it as a comment [tested]; present in the 5.7 grammar). */
  ifexp: { since: '5.7' },
  /** `#!defexp` / `#!defexps` (5.6.3 reads them as comments [tested]). */
  defexp: { since: '5.7' },
  /**
   * `#!undef` & co. are listed by the reference but absent from every cfg.lex read (5.6, a 5.7
   * snapshot); 5.6.3 reads `#!undef X` as a comment [tested]. Treated as effective from 5.8.
   */
  undef: { since: '5.8', unverified: true },
  /** `import_files "glob"`: not in upstream cfg.lex (5.6.3: syntax error); kazoo configs use it. */
  importFiles: { since: undefined, upstream: false },
} as const;

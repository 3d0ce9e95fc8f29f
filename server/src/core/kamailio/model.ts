// The model of a kamailio.cfg deployment as the rules see it: what Kamailio would act on after
// preprocessing (defines, #!ifdef regions, include_file/import_file), in evaluation order.
// Every element keeps the file and exact range it came from.
import type { Range } from '../types';

/** A problem the parser itself finds (reported as kamcfg.syntax unless `code` says otherwise). */
export interface ParseProblem {
  code: string;
  range: Range;
  message: string;
  /** Ranges are in the file being parsed; the rule layer fills in file paths. */
  fixes?: { title: string; isPreferred?: boolean; edits: { range: Range; newText: string }[] }[];
  related?: { range: Range; message: string }[];
}


/** A value as written after `=` or as a modparam argument. */
export interface CfgValue {
  /**
   * - string: a "…" or '…' literal (adjacent double-quoted strings concatenated)
   * - number: decimal/hex/octal/binary literal, possibly negative
   * - bool: yes/no/on/off/true/false/enable/disable (lower case only: Kamailio's lexer)
   * - identifier: any other word (may be an undefined placeholder filled by -A at deploy time)
   * - other: anything else (several tokens, operators…)
   */
  kind: 'string' | 'number' | 'bool' | 'identifier' | 'other';
  /** Source text of the value, as written (quotes included). */
  raw: string;
  /** Unescaped string content, the number in decimal, 'yes'/'no' for booleans, or the raw text. */
  text: string;
  /** Range of the whole value as written. */
  range: Range;
  /** The value came (wholly or partly) from a #!define / #!substdef expansion. */
  fromDefine?: boolean;
}

interface Located {
  /** Absolute path of the file the statement is written in. */
  file: string;
  /** Range of the whole statement. */
  range: Range;
  /** Position in evaluation order across the whole deployment (0, 1, 2, …). */
  order: number;
}

/** `name = value` at top level (core parameter), including listen/alias (also listed below). */
export interface CoreParamStatement extends Located {
  /** As written (e.g. `tls_enable`). */
  name: string;
  nameRange: Range;
  value: CfgValue;
}

export type ListenProto = 'udp' | 'tcp' | 'tls' | 'sctp' | 'any';

/** One socket of a `listen=` line (a line may list several) or of a `socket={…}` block. */
export interface ListenSocket extends Located {
  /** Protocol as written (lower-cased), `any` for `*`, undefined when omitted (udp+tcp(+tls/sctp)). */
  proto?: ListenProto;
  /** Address text after define expansion, without brackets. */
  host: string;
  hostRange: Range;
  hostKind: 'ipv4' | 'ipv6' | 'hostname' | 'interface-or-hostname' | 'placeholder' | 'invalid';
  /** Port number; undefined when omitted (TLS then uses tls_port_no, default 5061) or '*'. */
  port?: number;
  portText?: string;
  portRange?: Range;
  advertise?: {
    host: string;
    port?: number;
    range: Range;
    /** `advertise PROTO:host:port` (Kamailio 5.8+; see coreParams.ts SYNTAX_FEATURES.advertiseProto). */
    proto?: ListenProto;
  };
  name?: string;
  /** Problems with the address syntax (→ kamcfg.bad-listen); empty when fine. */
  problems: ParseProblem[];
  /** `virtual` flag (listen … virtual, or `virtual = 1` in a socket block). */
  virtual?: boolean;
  /** Came from a `socket = { bind = … }` block (Kamailio 5.7+; SYNTAX_FEATURES.socketBlock). */
  socketBlock?: boolean;
}

export interface AliasStatement extends Located {
  proto?: ListenProto;
  host: string;
  port?: number;
  hostRange: Range;
}

export interface LoadModuleStatement extends Located {
  /** As written inside the quotes, e.g. `tls.so`, `/usr/lib/…/tls.so`. */
  path: string;
  pathRange: Range;
  /** Module name: basename without `.so`, e.g. `tls`. */
  module: string;
}

export interface ModParamStatement extends Located {
  /** The module argument (a case-insensitive anchored regular expression in Kamailio). */
  module: string;
  moduleRange: Range;
  param: string;
  paramRange: Range;
  value: CfgValue;
  /** `modparamx` (evaluates variables). */
  extended: boolean;
}

export interface IncludeStatement extends Located {
  directive: 'include_file' | 'import_file' | 'import_files';
  /** The file name as written (without quotes). */
  target: string;
  targetRange: Range;
  quoted: boolean;
  /** Resolved absolute paths that exist (import_files may match several; empty when missing). */
  resolved: string[];
  /** The path Kamailio looks for first, for messages. */
  triedPaths: string[];
  /** `resolved` is a template or sample of this missing file (project/standIns.ts). */
  standInFor?: string;
}

export type RouteKind =
  | 'request_route'
  | 'route'
  | 'failure_route'
  | 'branch_route'
  | 'reply_route'
  | 'onreply_route'
  | 'onsend_route'
  | 'event_route';

export interface RouteBlock {
  file: string;
  kind: RouteKind;
  /** Name inside [...], undefined for unnamed blocks. */
  name?: string;
  nameRange?: Range;
  /** From the keyword to the closing brace. */
  range: Range;
  /** `route(NAME)` calls inside this block. */
  calls: { name: string; range: Range }[];
}

export interface DefineInfo {
  name: string;
  value?: string;
  /** #!defenv…: the environment variable the value comes from at start-up, when not known here. */
  fromEnvironment?: string;
  /** Undefined for -A / settings defines and built-ins. */
  file?: string;
  range?: Range;
}

/** Per-file information that does not depend on the evaluation (syntax, regions, symbols). */
export interface KamailioFileInfo {
  file: string;
  problems: ParseProblem[];
  /** Regions switched off by #!ifdef/#!ifndef/#!else under the current defines. */
  inactiveRanges: Range[];
  routes: RouteBlock[];
  /** #!define-style directives written in this file. */
  defines: DefineInfo[];
  includes: IncludeStatement[];
  /** First line is #!KAMAILIO / #!OPENSER / #!SER / #!MAXCOMPAT / #!ALL. */
  marker?: string;
}

/** A kamailio.cfg after preprocessing, with its fragments, in evaluation order. */
export interface EffectiveConfig {
  mainFile: string;
  /** Every file read, main first, in the order first visited. */
  files: string[];
  fileInfo: Map<string, KamailioFileInfo>;
  coreParams: CoreParamStatement[];
  listens: ListenSocket[];
  aliases: AliasStatement[];
  modules: LoadModuleStatement[];
  modparams: ModParamStatement[];
  includes: IncludeStatement[];
  /** Defines in effect at the end of the configuration (name → info). */
  defines: Map<string, DefineInfo>;
  /**
   * Every name that was defined at some point of the evaluation (built-ins, -A, #!define…,
   * MOD_x), also those #!undef'd later: a word with one of these names may expand somewhere.
   */
  definedNames: ReadonlySet<string>;
  /** `cfgengine` set (routing in KEMI) */
  cfgEngine?: string;
}

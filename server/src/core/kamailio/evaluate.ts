// Evaluation of a kamailio.cfg deployment into the EffectiveConfig the rules consume: the
// statements of the active token stream (activeStream.ts) turned into core parameters, listen
// sockets, aliases, modules, modparams and route blocks, in evaluation order.
// Reference §3 (listen), §4.4 (core parameters and modules), §4.5 (route blocks).
import { isCheckControl } from '../checkControl';
import type { KamailioVersion } from '../version';
import type { EvaluateOptions, SourceReader } from './index';
import type {
  AliasStatement,
  CoreParamStatement,
  EffectiveConfig,
  KamailioFileInfo,
  ListenSocket,
  LoadModuleStatement,
  ModParamStatement,
  ParseProblem,
  RouteBlock,
} from './model';
import { moduleNameFromPath } from './modules';
import { parseKamailioFile, type ParsedKamailioFile } from './parser';
import { StatementParser, type AssignItem, type ModparamItem, type RouteItem, type SrcToken, type StatementItem, type TokenSource } from './statements';
import { contentRange, makeCfgValue, spanRange } from './values';
import { parseListenValue, parseSocketBlock, type ParsedSocketAddress } from './listen';
import { ActiveStream } from './activeStream';
import { failureSummary } from '../limits';

class ModelBuilder {
  readonly coreParams: CoreParamStatement[] = [];
  readonly listens: ListenSocket[] = [];
  readonly aliases: AliasStatement[] = [];
  readonly modules: LoadModuleStatement[] = [];
  readonly modparams: ModParamStatement[] = [];
  cfgEngine: string | undefined;

  constructor(private readonly stream: ActiveStream) {}

  private get rangeOf() {
    return this.stream.rangeOf;
  }

  // ---- statements ------------------------------------------------------------------------

  onItem(item: StatementItem): void {
    switch (item.type) {
      case 'assign':
        return this.assign(item);
      case 'loadmodule': {
        if (!item.path) return;
        const path = item.path.value ?? '';
        const module = moduleNameFromPath(path);
        this.modules.push({
          file: item.keyword.file,
          range: spanRange(item.first, item.last, this.rangeOf),
          order: this.stream.nextOrder(),
          path,
          pathRange: contentRange(item.path, this.rangeOf),
          module,
        });
        this.stream.defineModule(module);
        return;
      }
      case 'loadpath': {
        if (!item.path) return;
        this.coreParams.push({
          file: item.keyword.file,
          range: spanRange(item.first, item.last, this.rangeOf),
          order: this.stream.nextOrder(),
          name: item.keyword.text,
          nameRange: this.rangeOf(item.keyword.file, item.keyword.start, item.keyword.end),
          value: makeCfgValue([item.path], item.keyword, this.rangeOf, this.stream.sourceOf),
        });
        return;
      }
      case 'modparam':
        return this.modparam(item);
      case 'cfgengine':
        if (item.engine) this.cfgEngine = item.engine.value ?? '';
        return;
      case 'route':
        return this.route(item);
      case 'import_files':
        return this.stream.importFiles(item);
      default:
        return;
    }
  }

  private assign(item: AssignItem): void {
    const first = item.nameTokens[0]!;
    const lastName = item.nameTokens[item.nameTokens.length - 1]!;
    const file = first.file;
    const range = spanRange(item.first, item.last, this.rangeOf);
    const nameRange = spanRange(first, lastName, this.rangeOf);
    const value = makeCfgValue(item.value, lastName, this.rangeOf, this.stream.sourceOf);
    const stmt: CoreParamStatement = { file, range, order: this.stream.nextOrder(), name: item.name, nameRange, value };
    this.coreParams.push(stmt);
    if (item.name === 'listen') this.listen(stmt, item.value);
    else if (item.name === 'alias' || item.name === 'domain') this.alias(stmt, item.value);
    else if (item.name === 'socket') this.socketBlock(stmt, item.value);
  }

  private socketFrom(stmt: CoreParamStatement, s: ParsedSocketAddress, extra: ParseProblem[]): ListenSocket {
    const l: ListenSocket = {
      file: stmt.file,
      range: stmt.range,
      order: this.stream.nextOrder(),
      host: s.host.text,
      hostRange: s.host.range,
      hostKind: s.host.kind,
      problems: [...s.problems, ...extra],
    };
    if (s.proto) l.proto = s.proto;
    if (s.port !== undefined) l.port = s.port;
    if (s.portText !== undefined) l.portText = s.portText;
    if (s.portRange) l.portRange = s.portRange;
    return l;
  }

  private listen(stmt: CoreParamStatement, tokens: SrcToken[]): void {
    const parsed = parseListenValue(tokens, this.rangeOf);
    if (parsed.sockets.length === 0) {
      this.listens.push({
        file: stmt.file,
        range: stmt.range,
        order: this.stream.nextOrder(),
        host: '',
        hostRange: stmt.value.range,
        hostKind: 'invalid',
        problems: parsed.problems.length
          ? parsed.problems
          : [{ code: 'kamcfg.bad-listen', range: stmt.value.range, message: 'listen needs an address: Kamailio stops with "ip address, interface name or hostname expected".' }],
      });
      return;
    }
    parsed.sockets.forEach((s, i) => {
      const l = this.socketFrom(stmt, s, i === 0 ? parsed.problems : []);
      if (parsed.advertise) l.advertise = parsed.advertise;
      if (parsed.name !== undefined) l.name = parsed.name;
      if (parsed.virtual) l.virtual = true;
      this.listens.push(l);
    });
  }

  private socketBlock(stmt: CoreParamStatement, tokens: SrcToken[]): void {
    const parsed = parseSocketBlock(tokens, this.rangeOf);
    const s = parsed.socket;
    const l: ListenSocket = s
      ? this.socketFrom(stmt, s, parsed.problems)
      : {
          file: stmt.file,
          range: stmt.range,
          order: this.stream.nextOrder(),
          host: '',
          hostRange: stmt.value.range,
          hostKind: 'invalid',
          problems: [...parsed.problems, { code: 'kamcfg.bad-listen', range: stmt.value.range, message: 'A socket block needs bind = proto:address:port.' }],
        };
    l.socketBlock = true;
    if (parsed.advertise) l.advertise = parsed.advertise;
    if (parsed.name !== undefined) l.name = parsed.name;
    if (parsed.virtual) l.virtual = true;
    this.listens.push(l);
  }

  private alias(stmt: CoreParamStatement, tokens: SrcToken[]): void {
    const parsed = parseListenValue(tokens, this.rangeOf, false);
    for (const s of parsed.sockets) {
      for (const h of [s.host, ...s.moreHosts]) {
        const a: AliasStatement = { file: stmt.file, range: stmt.range, order: this.stream.nextOrder(), host: h.text, hostRange: h.range };
        if (s.proto) a.proto = s.proto;
        if (s.port !== undefined) a.port = s.port;
        this.aliases.push(a);
      }
    }
  }

  private modparam(item: ModparamItem): void {
    if (!item.module || !item.param) return;
    const m: ModParamStatement = {
      file: item.keyword.file,
      range: spanRange(item.first, item.last, this.rangeOf),
      order: this.stream.nextOrder(),
      module: item.module.value ?? '',
      moduleRange: contentRange(item.module, this.rangeOf),
      param: item.param.value ?? '',
      paramRange: contentRange(item.param, this.rangeOf),
      value: makeCfgValue(item.value, item.param, this.rangeOf, this.stream.sourceOf),
      extended: item.extended,
    };
    this.modparams.push(m);
  }

  private route(item: RouteItem): void {
    // `route(NAME)` or a broken header at top level is no block (Kamailio: "invalid route statement").
    if (!item.open) return;
    const k = item.keyword;
    const block: RouteBlock = {
      file: k.file,
      kind: item.kind,
      range: spanRange(k, item.close ?? item.last, this.rangeOf),
      // Calls written in an included fragment belong to that file, not to this block's ranges.
      calls: item.calls.filter((c) => c.token.file === k.file).map((c) => ({ name: c.name, range: this.rangeOf(c.token.file, c.token.start, c.token.end) })),
    };
    if (item.name) {
      const n = item.name;
      block.name = n.kind === 'string' || n.kind === 'number' ? n.value ?? n.text : n.text;
      block.nameRange = n.kind === 'string' ? contentRange(n, this.rangeOf) : this.rangeOf(n.file, n.start, n.end);
    }
    this.stream.addRoute(block);
  }

  onProblem(token: SrcToken, message: string): void {
    this.stream.problem(token.file, this.rangeOf(token.file, token.start, token.end), message);
  }

}

/** A TokenSource with lookahead over the evaluation's active token stream. */
function bufferedSource(pull: () => SrcToken | undefined): TokenSource {
  const buf: SrcToken[] = [];
  let head = 0;
  const fill = (k: number) => {
    while (buf.length - head <= k) {
      const t = pull();
      if (!t) return false;
      buf.push(t);
    }
    return true;
  };
  return {
    peek: (k = 0) => (fill(k) ? buf[head + k] : undefined),
    next: () => {
      if (!fill(0)) return undefined;
      const t = buf[head++];
      if (head > 1024) {
        buf.splice(0, head);
        head = 0;
      }
      return t;
    },
  };
}

/** Tokens between two checkpoints: rare enough to cost nothing, often enough to stop within milliseconds. */
const TOKENS_PER_CHECKPOINT = 4096;

function run(stream: ActiveStream, checkpoint: (() => void) | undefined): ModelBuilder {
  const model = new ModelBuilder(stream);
  stream.start();
  let last: SrcToken | undefined;
  let untilCheckpoint = TOKENS_PER_CHECKPOINT;
  const pull = (): SrcToken | undefined => {
    if (checkpoint && --untilCheckpoint === 0) {
      untilCheckpoint = TOKENS_PER_CHECKPOINT;
      checkpoint();
    }
    const t = stream.nextToken();
    if (t) last = t;
    return t;
  };
  try {
    new StatementParser(
      bufferedSource(pull),
      (item) => model.onItem(item),
      (p) => model.onProblem(p.token, p.message),
      stream.lineOf,
    ).run();
  } catch (error) {
    // A checkpoint's throw (superseded, out of time) stops the check; it is not a failure here.
    if (isCheckControl(error)) throw error;
    // What was read up to here stays; the failure is a finding where reading stopped.
    const file = last?.file ?? stream.mainFile;
    const range = last ? stream.rangeOf(file, last.start, last.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    stream.problem(file, range, `sip-tls failed reading the configuration here (${failureSummary(error)}): statements after this point were not checked. Please report this message.`, 'project.internal-error');
  }
  stream.complete();
  return model;
}

export function evaluateKamailioConfig(mainFile: string, reader: SourceReader, options: EvaluateOptions): EffectiveConfig {
  const parse = options.parse ?? parseKamailioFile;
  const stream = new ActiveStream(mainFile, reader, options.version, options.mapPath, parse, options.defines, options.environment ?? {});
  const model = run(stream, options.checkpoint);
  const cfg: EffectiveConfig = {
    mainFile,
    files: stream.files(),
    fileInfo: stream.fileInfo(),
    coreParams: model.coreParams,
    listens: model.listens,
    aliases: model.aliases,
    modules: model.modules,
    modparams: model.modparams,
    includes: stream.includes,
    defines: stream.defineInfos(),
    definedNames: stream.definedNames(),
  };
  if (model.cfgEngine !== undefined) cfg.cfgEngine = model.cfgEngine;
  return cfg;
}

/** The info of one parsed file evaluated alone (no outside defines, includes not followed). */
export function evaluateParsedFileAlone(parsed: ParsedKamailioFile, version: KamailioVersion): KamailioFileInfo {
  const reader: SourceReader = {
    readText: (p) => (p === parsed.file ? parsed.text : undefined),
    exists: (p) => p === parsed.file,
    listDir: () => undefined,
  };
  const stream = new ActiveStream(parsed.file, reader, version, (p) => p, () => parsed, [], {});
  run(stream, undefined);
  return stream.fileInfo().get(parsed.file)!;
}

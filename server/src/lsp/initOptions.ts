// initializationOptions the server understands, read defensively (any client may send anything):
//   trusted     false in an untrusted workspace (default true)
//   debounceMs  delay between an edit and the check (default 200; tests use less)
//   settings    the `sipTls` settings object, for clients without workspace/configuration
//   commands    client-side commands a code action may run (the VS Code client: sipTls.generateLabPki)
//   checkBudgetMs  time budget of one deployment's check (default 30 s; tests use less)
export const DEFAULT_DEBOUNCE_MS = 200;
export const DEFAULT_CHECK_BUDGET_MS = 30_000;

export interface InitOptions {
  trusted: boolean;
  debounceMs: number;
  settings?: unknown;
  commands: string[];
  checkBudgetMs: number;
}

export function readInitOptions(raw: unknown): InitOptions {
  const out: InitOptions = { trusted: true, debounceMs: DEFAULT_DEBOUNCE_MS, commands: [], checkBudgetMs: DEFAULT_CHECK_BUDGET_MS };
  if (typeof raw !== 'object' || raw === null) return out;
  const o = raw as Record<string, unknown>;
  if (o['trusted'] === false) out.trusted = false;
  const debounce = o['debounceMs'];
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) out.debounceMs = Math.min(debounce, 10_000);
  const budget = o['checkBudgetMs'];
  if (typeof budget === 'number' && Number.isFinite(budget) && budget >= 1) out.checkBudgetMs = Math.min(budget, 600_000);
  const commands = o['commands'];
  if (Array.isArray(commands)) out.commands = commands.filter((c): c is string => typeof c === 'string').slice(0, 32);
  const settings = o['settings'];
  if (settings !== undefined && settings !== null) {
    // Accept both { sipTls: {...} } and the bare section.
    const nested = typeof settings === 'object' ? (settings as Record<string, unknown>)['sipTls'] : undefined;
    out.settings = nested ?? settings;
  }
  return out;
}

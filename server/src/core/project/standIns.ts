// A configuration file the repository does not hold, made at deploy time from one it does: a
// template (tls.cfg.j2, kamailio-local.cfg.tmpl) or a sample (icscf.cfg.sample, the way
// Kamailio's own examples and packages ship them). The checker reads the stand-in in its place
// and says so (project.template).

/** Suffixes of the files a deploy step turns into the configuration file, most specific first. */
export const STAND_IN_SUFFIXES = ['.j2', '.jinja2', '.jinja', '.tmpl', '.tpl', '.template', '.in', '.sample', '.example', '.dist', '.default'] as const;
/** The same as name prefixes: `template.tls.cfg` (rendered by an entrypoint script with envsubst). */
export const STAND_IN_PREFIXES = ['template.', 'tmpl.', 'sample.', 'example.'] as const;
/** Of those, the ones a deploy step renders every time (a sample may stay unused). */
const RENDERED = /\.(j2|jinja2?|tmpl|tpl|template|in)$|(^|\/)(template|tmpl)\.[^/]+$/;

/** A stand-in that a deploy step renders into the file, rather than a sample one may copy. */
export function isRenderedTemplate(standIn: string): boolean {
  return RENDERED.test(standIn);
}

/**
 * The stand-in of a missing `path`, if one exists: `path` + a template or sample suffix, the
 * name with a template prefix (`template.tls.cfg`), or
 * `path` without its `.cfg` (a generator such as `sed … foo-inc > foo-inc.cfg`, the way
 * kamailio-tests makes its fragments).
 */
export function standInFor(path: string, exists: (p: string) => boolean): string | undefined {
  for (const suffix of STAND_IN_SUFFIXES) {
    const candidate = path + suffix;
    if (exists(candidate)) return candidate;
  }
  const slash = path.lastIndexOf('/');
  for (const prefix of STAND_IN_PREFIXES) {
    const candidate = `${path.slice(0, slash + 1)}${prefix}${path.slice(slash + 1)}`;
    if (exists(candidate)) return candidate;
  }
  const bare = path.replace(/\.cfg$/i, '');
  if (bare !== path && !bare.endsWith('/') && exists(bare)) return bare;
  return undefined;
}

/** The name of the file a template or sample renders: `tls.cfg.j2`, `template.tls.cfg` → `tls.cfg`. */
export function renderedName(name: string): string | undefined {
  const suffix = STAND_IN_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  if (suffix) return name.slice(0, -suffix.length);
  const prefix = STAND_IN_PREFIXES.find((p) => name.startsWith(p) && name.length > p.length);
  return prefix ? name.slice(prefix.length) : undefined;
}

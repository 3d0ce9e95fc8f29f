// The #!subst rules of one deployment, applied within budgets. Each rule runs over every string
// lexed after it, and each #!subst directive is itself rewritten by the rules before it, so a
// chain of 17 `#!subst "/a/aa/g"` grows the 17th pattern to 65,536 characters (V8: "Regular
// expression too large") and a chain of `/(.*)/\1\1/` doubles every string per rule. Kamailio has
// no such limits; sip-tls stops applying the rule that crosses one, says so at the rule's line,
// and checks the rest without it.
import type { Range } from '../types';
import { applySubstRule, engineMessage, type DefineValueLookup, type SubstRule } from './subst';
import { patternCost } from './patternCost';
import { excerpt } from '../quote';

export const SUBST_LIMITS = {
  /** Characters of one pattern, after the rules before it rewrote it. */
  patternChars: 10_000,
  /** Pattern size (counted repetitions unrolled) × input length, for one rule on one string. */
  workPerApplication: 2_000_000,
  /** Characters the substitutions may add to the strings of one file. */
  growthPerFile: 1_000_000,
  /** Rule applications (one rule on one string) for a whole deployment. */
  applications: 1_000_000,
  /**
   * Characters all substitutions of a deployment scan together. Kazoo's configuration (hundreds
   * of #!substdef, the largest real one known) scans 14 million.
   */
  scannedPerDeployment: 200_000_000,
  /** Characters of a #!substdef define value. */
  defineValueChars: 65_536,
};

export interface ActiveSubst {
  rule: SubstRule;
  /** Where the directive's rule is written. */
  file: string;
  range: Range;
  /** The directive as written (`#!subst`), for messages. */
  directive: string;
  /** patternCost's size, computed once. */
  size: number;
  stopped?: boolean;
}

/** The string being rewritten, for "where it stopped". */
export interface SubstSite {
  file: string;
  line: number;
}

export interface SubstStop {
  subst: ActiveSubst;
  code: 'project.check-limit' | 'project.internal-error';
  message: string;
}

const OVER = Symbol('over budget');

export class SubstRunner {
  private readonly rules: ActiveSubst[] = [];
  private readonly growth = new Map<string, number>();
  private applications = 0;
  private scanned = 0;
  private exhausted = false;

  constructor(private readonly onStop: (stop: SubstStop) => void) {}

  get count(): number {
    return this.rules.length;
  }

  /** A pattern this checker will not run, as a message; undefined when it may run. */
  refusal(rule: SubstRule, directive: string): string | undefined {
    if (rule.pattern.length > SUBST_LIMITS.patternChars) {
      return `sip-tls did not apply this ${directive} rule: its pattern has ${rule.pattern.length.toLocaleString('en-US')} characters (after the rules before it rewrote it), over the ${SUBST_LIMITS.patternChars.toLocaleString('en-US')} it runs. The rest of the configuration was checked without it.`;
    }
    const cost = patternCost(rule.pattern);
    if (cost.unbounded) {
      return `sip-tls did not apply this ${directive} rule: its pattern has ${cost.unbounded}, which JavaScript's regular-expression engine may take minutes on (Kamailio's POSIX engine does not). The rest of the configuration was checked without it.`;
    }
    return undefined;
  }

  add(subst: Omit<ActiveSubst, 'size'>): void {
    this.rules.push({ ...subst, size: patternCost(subst.rule.pattern).size });
  }

  /** Every rule in order (cfg.lex pp_subst_run), each within its budgets. */
  apply(input: string, site: SubstSite, lookup: DefineValueLookup): string {
    let out = input;
    for (const s of this.rules) {
      if (s.stopped) continue;
      if (this.exhausted) break;
      this.scanned += out.length;
      if (++this.applications > SUBST_LIMITS.applications || this.scanned > SUBST_LIMITS.scannedPerDeployment) {
        this.exhausted = true;
        const budget =
          this.applications > SUBST_LIMITS.applications
            ? `${SUBST_LIMITS.applications.toLocaleString('en-US')} substitutions`
            : `scanning ${SUBST_LIMITS.scannedPerDeployment.toLocaleString('en-US')} characters`;
        this.stop(s, 'project.check-limit', `sip-tls stopped applying #!subst rules at ${where(site)} after ${budget} (its budget per deployment): strings from there on were checked without any of them.`);
        break;
      }
      const next = this.applyOne(s, out, site, lookup);
      if (next !== undefined) out = next;
    }
    return out;
  }

  private applyOne(s: ActiveSubst, input: string, site: SubstSite, lookup: DefineValueLookup): string | undefined {
    const size = s.size;
    if (size * input.length > SUBST_LIMITS.workPerApplication) {
      this.stop(
        s,
        'project.check-limit',
        `sip-tls stopped applying this ${s.directive} rule at ${where(site)}: its pattern (size ${size.toLocaleString('en-US')}) on a string of ${input.length.toLocaleString('en-US')} characters is over the ${SUBST_LIMITS.workPerApplication.toLocaleString('en-US')} steps one substitution may take. Strings from there on were checked without it.`,
      );
      return undefined;
    }
    const room = SUBST_LIMITS.growthPerFile - (this.growth.get(site.file) ?? 0);
    let added = 0;
    let result: string | undefined;
    try {
      result = applySubstRule(s.rule, input, lookup, (replacement, match) => {
        added += replacement.length - match.length;
        if (added > room) throw OVER;
      });
    } catch (error) {
      if (error === OVER) {
        this.stop(
          s,
          'project.check-limit',
          `sip-tls stopped applying this ${s.directive} rule at ${where(site)}: it would make the strings of that file more than ${SUBST_LIMITS.growthPerFile.toLocaleString('en-US')} characters longer in all (its budget per file). Strings from there on were checked without it.`,
        );
      } else {
        this.stop(s, 'project.internal-error', `sip-tls failed applying this ${s.directive} rule at ${where(site)} (JavaScript: ${engineMessage(error)}): strings from there on were checked without it.`);
      }
      return undefined;
    }
    if (result !== undefined && added > 0) this.growth.set(site.file, (this.growth.get(site.file) ?? 0) + added);
    return result;
  }

  private stop(s: ActiveSubst, code: SubstStop['code'], message: string): void {
    s.stopped = true;
    this.onStop({ subst: s, code, message });
  }
}

function where(site: SubstSite): string {
  const base = site.file.slice(site.file.lastIndexOf('/') + 1);
  return `${excerpt(base)}:${site.line}`;
}

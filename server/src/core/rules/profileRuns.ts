// The certificate findings of each tls.cfg profile, kept from one check to the next. A keystroke
// in one profile's value leaves the other 199 profile objects as they were (tlscfg/incremental.ts);
// their certificate, key and CA-list findings are reused instead of judged again, while the files
// and the clock answer as they did (the previous run's recording still holds, check.ts) and the
// deployment-wide inputs are the same (the configuration, the settings, and every profile's CA
// files, from which the trust pool of every chain is built).
import type { ProbeRecording } from '../fileProbe';
import type { TlsProfile } from '../tlscfg/model';
import type { Finding } from '../types';
import type { LoadedSlot } from './certificates';

/** One profile's certificate rules: what they found, the certificates it serves, what they read. */
export interface ProfileRun {
  findings: Finding[];
  leaves: LoadedSlot[];
  reads: ProbeRecording;
}

export interface ProfileRuns {
  /** The CA files of every profile: the trust pool every profile's chains are built against. */
  trustKey: string;
  byProfile: Map<TlsProfile, ProfileRun>;
}

/** What the Checker hands a rule run: the runs it may reuse, and where this run's go. */
export interface ProfileRunMemo {
  previous?: ProfileRuns;
  next: ProfileRuns;
}

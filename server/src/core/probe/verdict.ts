// The verdict: one line with the answer first, and every problem in a sentence. The exit code of
// `sip-tls probe` follows `ok`: handshake done, chain trusted, name matched, and with --options a
// final SIP response.
import { hostPort } from './target';
import type { ProbeOptions, ProbeReport } from './types';

type Draft = Omit<ProbeReport, 'ok' | 'verdict' | 'problems'>;

export function decide(draft: Draft, o: ProbeOptions): ProbeReport {
  const target = hostPort(o.host, o.port);
  const problems: string[] = [];
  const e = draft.error;
  if (e) problems.push(`${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}: ${e.explanation}`);
  const v = draft.verification;
  if (v && !v.trusted) problems.push(`certificate chain not trusted (${v.code}: ${v.reason}): ${v.explanation}`);
  const h = draft.hostname;
  if (h && !h.matches) problems.push(`the certificate does not match ${h.checked}: ${h.reason ?? 'no matching subjectAltName'}`);
  const expiring = draft.chain.filter((c) => c.daysLeft >= 0 && c.daysLeft < 30);
  if (o.sipOptions && draft.sip && draft.sip.statusLine === null && !e) problems.push('no final SIP response');
  const ok = problems.length === 0;

  let verdict: string;
  if (ok) {
    const parts = [`${draft.tls?.protocol ?? 'TLS'} to ${target}`, 'chain trusted', `name ${h?.checked ?? o.host} matches`];
    if (draft.sip?.statusLine) parts.push(draft.sip.statusLine);
    verdict = `OK: ${parts.join(', ')}`;
    if (expiring.length > 0) verdict += ` (but ${expiring.map((c) => c.role).join(', ')} expires in ${Math.min(...expiring.map((c) => c.daysLeft))} days)`;
  } else if (e && !draft.tls) {
    verdict = `FAILED: ${phaseWords(e.phase, draft.clientCertificate.offered)} ${target}: ${e.message}`;
  } else {
    const what: string[] = [];
    if (v && !v.trusted) what.push(`chain not trusted (${v.code})`);
    if (h && !h.matches) what.push(`name ${h.checked} not in the certificate`);
    if (e) what.push(e.phase === 'client-certificate' ? `${draft.clientCertificate.offered ? 'client certificate refused' : 'a client certificate is required'} (${e.message})` : e.message);
    else if (o.sipOptions && draft.sip?.statusLine === null) what.push('no SIP response');
    verdict = `FAILED: ${draft.tls?.protocol ?? 'TLS'} to ${target}: ${what.join('; ')}`;
  }
  // The answer first in the JSON document too: version, ok, verdict, problems, then the details.
  const { version, ...details } = draft;
  return { version, ok, verdict, problems, ...details };
}

function phaseWords(phase: string, offered: boolean): string {
  switch (phase) {
    case 'setup':
      return 'cannot probe';
    case 'dns':
      return 'cannot resolve';
    case 'connect':
      return 'cannot connect to';
    case 'timeout':
      return 'timed out on';
    case 'aborted':
      return 'cancelled probe of';
    case 'client-certificate':
      return offered ? 'client certificate refused by' : 'client certificate required by';
    default:
      return 'TLS handshake failed with';
  }
}

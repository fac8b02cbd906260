import type { CallEvent } from '../model/index.ts';
import { callLabel, callsByTurn } from './calls.ts';
import type { Detector, FindingDraft, ObservedInstance } from './detector.ts';

/**
 * unmatched_call — calls the virtual dependencies could not answer from the recording
 * (`match.mode: unmatched`), one finding per turn, each call with the nearest recorded
 * candidate the matcher saw. A miss means the app asked something production never asked:
 * a new call, a changed request, or a reordered conversation.
 */
export function createUnmatchedCallDetector(): Detector {
  const drafts: FindingDraft[] = [];

  function observe({ id, data }: ObservedInstance): void {
    for (const [turn, calls] of callsByTurn(data)) {
      const misses = calls.filter((c): c is CallEvent & { match: { mode: 'unmatched' } } => c.match.mode === 'unmatched');
      if (misses.length === 0) continue;
      const labels = [...new Set(misses.map(callLabel))];
      drafts.push({
        instance: id,
        turn,
        severity: misses.some((m) => m.match.policy === 'error') ? 'high' : 'medium',
        key: 'unmatched',
        title: `turn ${turn}: ${misses.length} call${misses.length > 1 ? 's' : ''} matched no recorded exchange (${labels.join(', ')})`,
        evidence: {
          summary: `The app made ${misses.length} call(s) at turn ${turn} that the recording has no answer for: ${misses.map((m) => `${m.request.method} ${m.request.url}${m.match.nearest ? ` (nearest: turn ${m.match.nearest.turn} #${m.match.nearest.index}, ${m.match.nearest.why})` : ''}`).join('; ')}.`,
          calls: misses.map((m) => ({ dependency: m.dependency, name: m.name, method: m.request.method, url: m.request.url, callIndex: m.callIndex, policy: m.match.policy, nearest: m.match.nearest ?? null })),
        },
      });
    }
  }

  return { observe, finish: () => drafts };
}

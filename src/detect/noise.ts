import type { InstanceData, RunData } from '../journal/journal-reader.ts';
import type { NoiseProbe } from './detector.ts';
import { canonicalJson } from './text.ts';

const NEVER: NoiseProbe = { varies: () => false };

/**
 * Noise from clean replays. With `control.baseline`, the replayer plays sessions again without
 * faults (`variant: 'baseline'`, `shadowOf` the main instance). The clean replays of one
 * recorded session — its baselines plus the unfaulted main instances they shadow — should
 * behave the same; whatever a measure sees differ between them (a free-text field, a call
 * made only sometimes) is noise, and detectors ignore differences within it. Without at least
 * two clean replays nothing is noise.
 */
export function noiseProbes(run: RunData): (recordedSession: string) => NoiseProbe {
  const groups = new Map<string, InstanceData[]>();
  for (const data of run.instances.values()) {
    if (data.start.variant !== 'baseline') continue;
    const shadowed = data.start.shadowOf === undefined ? undefined : run.instances.get(data.start.shadowOf);
    const group = groups.get(data.start.recordedSession) ?? [];
    group.push(data);
    if (shadowed && !shadowed.start.faulted && !group.includes(shadowed)) group.push(shadowed);
    groups.set(data.start.recordedSession, group);
  }
  const probes = new Map<string, NoiseProbe>();
  return (recordedSession) => {
    const group = groups.get(recordedSession);
    if (!group || group.length < 2) return NEVER;
    let probe = probes.get(recordedSession);
    if (!probe) {
      probe = { varies: (measure) => new Set(group.map((inst) => canonicalJson(measure(inst)))).size > 1 };
      probes.set(recordedSession, probe);
    }
    return probe;
  };
}

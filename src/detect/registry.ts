import { createAssertionDetector } from './assertion.ts';
import { createCascadeDetector } from './cascade.ts';
import { createContextLossDetector } from './context-loss.ts';
import type { DetectorFactory, DetectorName } from './detector.ts';
import { createLatencyCollapseDetector } from './latency-collapse.ts';
import { createLeakageDetector } from './leakage.ts';
import { createSchemaDriftDetector } from './schema-drift.ts';
import { createUnmatchedCallDetector } from './unmatched-call.ts';

/** Every built-in detector by name; the compiler checks each factory against its options type. */
export const DETECTORS: { readonly [N in DetectorName]: DetectorFactory<N> } = {
  context_loss: createContextLossDetector,
  leakage: createLeakageDetector,
  cascade: createCascadeDetector,
  schema_drift: createSchemaDriftDetector,
  latency_collapse: createLatencyCollapseDetector,
  assertion: (context) => createAssertionDetector(context),
  unmatched_call: () => createUnmatchedCallDetector(),
};

/** Run order (also the order of findings of equal severity, instance and turn). */
export const DETECTOR_NAMES = Object.keys(DETECTORS) as DetectorName[];

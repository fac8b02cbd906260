/** Moved to `src/anonymize/session-pseudonym.ts` (an anonymization concern); kept for `bench/record.bench.ts`. */
export { pseudonymizeSessionId } from '../anonymize/session-pseudonym.ts';

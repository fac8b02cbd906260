import type { DefectName } from './defects.ts';
import { detectLanguage } from './language.ts';
import type { ChatMessage, LlmClient } from './llm-client.ts';
import { LEGACY_TRIAGE_PROMPT, TRIAGE_PROMPT } from './prompts.ts';

export type Urgency = 'low' | 'medium' | 'high';

/** The routing summary returned with every reply. */
export interface Triage {
  readonly name: string | null;
  readonly issue_type: string;
  readonly urgency: Urgency;
}

/** Used when the model could not be asked or gave nothing usable: route to a human queue. */
export const FALLBACK_TRIAGE: Triage = { name: null, issue_type: 'unknown', urgency: 'medium' };

const URGENCIES: readonly string[] = ['low', 'medium', 'high'];

/** Coerces the model's JSON into the contract, field by field, never trusting its shape. */
export function normalizeTriage(value: unknown): Triage {
  if (typeof value !== 'object' || value === null) return FALLBACK_TRIAGE;
  const raw = value as Record<string, unknown>;
  const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : null;
  const issueType = typeof raw.issue_type === 'string' && raw.issue_type !== '' ? raw.issue_type : FALLBACK_TRIAGE.issue_type;
  const urgency = typeof raw.urgency === 'string' && URGENCIES.includes(raw.urgency) ? (raw.urgency as Urgency) : FALLBACK_TRIAGE.urgency;
  return { name, issue_type: issueType, urgency };
}

const REFUND_WORDS = /\b(refund|money back|reembolso|devoluci[oó]n|r[uü]ckerstattung|erstattung|remboursement|rembourser)/i;

/**
 * Asks the model to classify the conversation with structured output
 * (`response_format: json_object`) and returns the triage.
 *
 * With the schema-rename defect, refund and non-English turns go through the forked legacy
 * prompt and the model's JSON is passed through unvalidated, so those replies carry
 * `priority` where the contract says `urgency`.
 */
export async function triageConversation(
  llm: LlmClient,
  conversation: readonly ChatMessage[],
  latestMessage: string,
  defects: ReadonlySet<DefectName>,
): Promise<Record<string, unknown>> {
  const legacy = defects.has('schema-rename') && (REFUND_WORDS.test(latestMessage) || detectLanguage(latestMessage) !== 'en');
  const completion = await llm.complete({
    messages: [{ role: 'system', content: legacy ? LEGACY_TRIAGE_PROMPT : TRIAGE_PROMPT }, ...conversation],
    responseFormat: 'json_object',
    temperature: 0,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(completion.content);
  } catch {
    parsed = undefined;
  }
  if (defects.has('schema-rename') && typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  return { ...normalizeTriage(parsed) };
}

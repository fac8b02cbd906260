import { ConversationStore, historyForPrompt } from './conversation-store.ts';
import { DependencyError } from './dependency-client.ts';
import type { DefectName } from './defects.ts';
import { detectLanguage } from './language.ts';
import type { ChatMessage, Completion, CompletionRequest, LlmClient } from './llm-client.ts';
import { documentsMessage, INTERRUPTED_SUFFIX, MODEL_DOWN_REPLY, systemPrompt } from './prompts.ts';
import type { RetrievalClient } from './retrieval-client.ts';
import { TOOL_DEFINITIONS, type SupportTools } from './support-tools.ts';
import { FALLBACK_TRIAGE, triageConversation } from './triage.ts';

export interface TurnInput {
  readonly sessionId: string;
  readonly message: string;
  readonly channel: string;
}

/** The body of a /api/chat reply and of the stream's `final` event. */
export interface TurnResult {
  readonly session_id: string;
  readonly reply: string;
  readonly triage: Record<string, unknown>;
}

export interface AssistantDeps {
  readonly llm: LlmClient;
  readonly tools: SupportTools;
  readonly retrieval: RetrievalClient;
  readonly store: ConversationStore;
  readonly defects: ReadonlySet<DefectName>;
  readonly log: (line: string) => void;
}

const TOP_K = 3;

/**
 * One user turn: retrieve, ask the model with the whole conversation and the tools, run the
 * tool calls it asks for (in order, one round), ask again with their results, then triage.
 * Passing `onDelta` uses the model's streaming API and forwards each fragment.
 */
export class SupportAssistant {
  readonly #deps: AssistantDeps;

  constructor(deps: AssistantDeps) {
    this.#deps = deps;
  }

  async handleTurn(input: TurnInput, onDelta?: (text: string) => void): Promise<TurnResult> {
    const { llm, tools, retrieval, store, defects, log } = this.#deps;
    const language = detectLanguage(input.message);
    const history = historyForPrompt(store.history(input.sessionId), defects);
    const documents = await retrieval.search(input.message, TOP_K);

    const earlier: ChatMessage[] = history.flatMap((exchange): ChatMessage[] => [
      { role: 'user', content: exchange.user },
      { role: 'assistant', content: exchange.assistant },
    ]);
    const userMessage: ChatMessage = { role: 'user', content: input.message };
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(input.channel) }, ...earlier];
    if (documents.length > 0) messages.push({ role: 'system', content: documentsMessage(documents) });
    messages.push(userMessage);
    // What this turn adds to the conversation, for the triage call.
    const turnMessages: ChatMessage[] = [userMessage];

    const ask = (request: CompletionRequest): Promise<Completion> => (onDelta ? llm.stream(request, onDelta) : llm.complete(request));
    let reply: string;
    try {
      let completion = await ask({ messages, tools: TOOL_DEFINITIONS });
      if (completion.toolCalls.length > 0) {
        const call: ChatMessage = { role: 'assistant', content: completion.content || null, tool_calls: completion.toolCalls };
        messages.push(call);
        turnMessages.push(call);
        for (const toolCall of completion.toolCalls) {
          const outcome = await tools.execute(toolCall);
          if (outcome.failed) log(`tool ${toolCall.function.name} failed for session ${input.sessionId}`);
          const result: ChatMessage = { role: 'tool', tool_call_id: toolCall.id, content: outcome.content };
          messages.push(result);
          turnMessages.push(result);
        }
        completion = await ask({ messages, tools: TOOL_DEFINITIONS });
      }
      reply = completion.content.trim() === '' ? MODEL_DOWN_REPLY[language] : completion.content;
      if (completion.interrupted) {
        reply += INTERRUPTED_SUFFIX[language];
        onDelta?.(INTERRUPTED_SUFFIX[language]);
      }
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      log(`llm: ${error.message}`);
      const result: TurnResult = { session_id: input.sessionId, reply: MODEL_DOWN_REPLY[language], triage: { ...FALLBACK_TRIAGE } };
      store.append(input.sessionId, { user: input.message, assistant: result.reply });
      onDelta?.(result.reply);
      return result;
    }
    turnMessages.push({ role: 'assistant', content: reply });
    store.append(input.sessionId, { user: input.message, assistant: reply });

    let triage: Record<string, unknown>;
    try {
      triage = await triageConversation(llm, [...earlier, ...turnMessages], input.message, defects);
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      log(`triage: ${error.message}`);
      triage = { ...FALLBACK_TRIAGE };
    }
    return { session_id: input.sessionId, reply, triage };
  }
}

import type { Citation } from '../../../server/src/shared/protocol';

/** Where the chat view hands the citations of the latest answer, so the editor can show them. */
export interface CitationSink {
  /** Replaces the shown citations with those of the answer to `question`. */
  show(question: string, citations: Citation[]): void;
  clear(): void;
  /** Opens the exact cited range; refuses (with a message) paths outside the workspace folders. */
  reveal(citation: Citation): Promise<void>;
}

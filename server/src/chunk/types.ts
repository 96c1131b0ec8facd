/** What a chunk is, for display and for ranking. */
export type ChunkKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'module'
  | 'block'
  | 'section'
  | 'lines';

/** A range inside a chunk that answers for itself: a function, a method, a class head, the code between. */
export interface ChunkUnit {
  /** 1-based, inclusive, within the chunk's range. */
  startLine: number;
  endLine: number;
  /** Qualified symbol, or '' for code outside any named unit. */
  symbol: string;
  kind: ChunkKind;
}

/** A range of one file, the unit that is embedded, stored and returned. */
export interface Chunk {
  /** Workspace-relative path with `/` separators. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  /** 1-based, inclusive. */
  endLine: number;
  /** Language id, e.g. `typescript`, `python`, `markdown`, `yaml`, `text`. */
  language: string;
  /** Qualified symbol such as `Router.handle`; '' for ranges without one. */
  symbol: string;
  kind: ChunkKind;
  /** The exact source text of lines startLine..endLine. */
  text: string;
  /** A short context line for embedding: path plus enclosing signatures. */
  header: string;
  /** The units the chunk holds, tiling its range in order; one when the chunk is a single unit. */
  units: ChunkUnit[];
}

/** The chunks of one file, and how they were made. */
export interface ChunkedFile {
  chunks: Chunk[];
  /** `syntax` (tree-sitter), `markdown` (headings) or `lines` (windows). */
  method: 'syntax' | 'markdown' | 'lines';
  /** Set when a syntax parse was attempted and failed, so the file fell back to line windows. */
  fallbackReason?: string;
}

export declare const words: (text: string) => string[];
export declare class Bm25Index {
  constructor(documents: Array<{ id: string; text: string }>);
  search(query: string, k: number): string[];
  scored(query: string, k: number): Array<{ id: string; score: number }>;
}

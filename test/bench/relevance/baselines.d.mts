export interface Window {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}
export declare function windowsOf(path: string, text: string, lines: number): Window[];
export declare function windowBaseline(files: Map<string, string>, lines: number): { search(query: string, k: number): Window[] };
export declare const BASELINES: Array<{ name: string; lines: number }>;

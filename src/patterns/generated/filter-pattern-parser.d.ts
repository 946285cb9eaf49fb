// Types for the generated filter pattern parser (scripts/filter-pattern-parser.mjs).
export interface PeggyLocation {
  start: { offset: number; line: number; column: number };
  end: { offset: number; line: number; column: number };
}

export interface PeggyExpectation {
  type: string;
  description?: string;
  text?: string;
}

export declare class SyntaxError extends Error {
  location: PeggyLocation;
  expected: PeggyExpectation[] | null;
  found: string | null;
}

export declare const StartRules: string[];
export declare function parse(input: string, options?: { grammarSource?: string }): unknown;

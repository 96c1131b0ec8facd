/**
 * Whether code is a test, from its path and unit name, across the languages Ferret reads: a
 * question about behaviour wants the implementation before the tests that exercise it.
 */

const TEST_FOLDER = /(^|\/)(tests?|__tests__|testing|spec|specs|e2e|fixtures?)(\/)/i;
const TEST_FILE = /(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go|rb|exs?)|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*(Test|Tests|Spec)\.(java|kt|cs|php|scala)|[^/]*_spec\.rb|conftest\.py)$/;
/**
 * A name part of test code: `test_parse`, `testParse` (JUnit 3), `TestParse` and `BenchmarkParse`
 * (Go), `ParserTests` and `ParserTest` (classes), `tests` (Rust's `mod tests`).
 */
const TEST_NAME = /^(tests?|test_?[A-Za-z0-9_]*|Test[A-Z0-9_][A-Za-z0-9_]*|[A-Za-z0-9_]+Tests?|Benchmark[A-Z_][A-Za-z0-9_]*|Fuzz[A-Z_][A-Za-z0-9_]*)$/;

export function isTestCode(path: string, symbol: string): boolean {
  return TEST_FOLDER.test(path) || TEST_FILE.test(path) || symbol.split(/[.:#\s,]+/).some((part) => TEST_NAME.test(part));
}

/** Words that make a question about tests, so that tests are then not ranked below their subject. */
const TEST_WORDS = new Set(['test', 'tests', 'tested', 'testing', 'spec', 'specs', 'fixture', 'fixtures', 'mock', 'mocks', 'benchmark', 'benchmarks']);

export function asksAboutTests(queryTokens: readonly string[]): boolean {
  return queryTokens.some((token) => TEST_WORDS.has(token));
}

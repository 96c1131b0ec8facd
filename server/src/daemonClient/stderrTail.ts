/**
 * The line of a dead process's stderr worth quoting to the user. Node ends a crash report with
 * indented stack frames, object dumps and a `Node.js vX` banner; the error itself is the last
 * unindented line before them.
 */
export function lastMeaningfulLine(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '' || /^\s/.test(line)) continue;
    if (/^Node\.js v\d/.test(line) || /^[\s{}()[\]^]+$/.test(line)) continue;
    return line.trim();
  }
  return undefined;
}

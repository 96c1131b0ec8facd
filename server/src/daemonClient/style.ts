/** ANSI styling that turns itself off when the output is not a terminal or NO_COLOR is set. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  red(text: string): string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const COLORS: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  cyan: wrap(36, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  red: wrap(31, 39),
};

const identity = (text: string): string => text;
export const PLAIN: Style = { bold: identity, dim: identity, cyan: identity, yellow: identity, green: identity, red: identity };

/** Colors only on a TTY, and never when NO_COLOR is set to anything but '' (no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor ? COLORS : PLAIN;
}

/**
 * Which links in a model's answer may be followed at all. Shared by the webview sanitizer (which
 * drops every other link) and the extension (which re-checks before opening anything), so the rule
 * is written once. No `vscode`, no DOM, no Node built-ins: the webview bundle imports it.
 */

export type LinkTarget =
  /** An http(s) address; opened only after the user confirms. */
  | { kind: 'web'; url: string }
  /** A path relative to a workspace folder (or absolute); opened only when it lies inside one. */
  | { kind: 'workspace'; path: string; startLine?: number; endLine?: number };

const schemePattern = /^[a-z][a-z0-9+.-]*:/i;
// Model output links lines as `#L10`, `#L10-L20` or `#L10-20`.
const lineFragment = /^L(\d{1,7})(?:-L?(\d{1,7}))?$/;

/** Classifies an href; undefined for anything that must not be followed (other schemes, `//host`, fragments only, control characters). */
export function classifyHref(raw: string): LinkTarget | undefined {
  const href = raw.trim();
  // Whitespace or control characters inside an href are how scheme checks get dodged ("java\tscript:").
  if (href === '' || /[\u0000-\u0020\u007f-\u009f]/.test(href)) return undefined;
  if (/^https?:\/\//i.test(href)) {
    try {
      const url = new URL(href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? { kind: 'web', url: url.href } : undefined;
    } catch {
      return undefined;
    }
  }
  // Windows drive paths (C:/x) look like a scheme but are paths; the extension still checks containment.
  if (schemePattern.test(href) && !/^[a-z]:[\\/]/i.test(href)) return undefined;
  if (href.startsWith('//') || href.startsWith('\\\\') || href.startsWith('#') || href.startsWith('?')) return undefined;
  return workspaceTarget(href);
}

function workspaceTarget(href: string): LinkTarget | undefined {
  const hash = href.indexOf('#');
  const rawPath = (hash < 0 ? href : href.slice(0, hash)).split('?')[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (path === '' || path.includes('\0')) return undefined;
  const lines = hash < 0 ? null : lineFragment.exec(href.slice(hash + 1));
  if (!lines) return { kind: 'workspace', path };
  const startLine = Number(lines[1]);
  const endLine = lines[2] === undefined ? startLine : Number(lines[2]);
  return { kind: 'workspace', path, startLine, endLine: Math.max(startLine, endLine) };
}

/**
 * Whether the conversation keeps scrolling to the newest text. Pure, tested in Node: the view
 * follows until the user scrolls away from the bottom, and follows again when they come back,
 * jump to the latest, or ask a new question. Scrolls the user did not make (a re-layout while
 * the sidebar is resized, focus moving to a button) never stop following.
 */
export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Pixels from the bottom that still count as "at the bottom" (sub-pixel rounding, a last line half shown). */
const slack = 24;

export function atBottom(m: ScrollMetrics): boolean {
  return m.scrollHeight - m.scrollTop - m.clientHeight <= slack;
}

export class FollowState {
  private following = true;

  get isFollowing(): boolean {
    return this.following;
  }

  /** A scroll event; `byUser` when it follows the user's wheel, touch, key or pointer input. */
  scrolled(m: ScrollMetrics, byUser: boolean): void {
    if (atBottom(m)) this.following = true;
    else if (byUser) this.following = false;
  }

  /** A new question was asked, or "jump to latest" pressed: show the newest turn whatever the position. */
  resume(): void {
    this.following = true;
  }

  /** The "jump to latest" control shows when the user left newer content below. */
  showJump(m: ScrollMetrics): boolean {
    return !this.following && !atBottom(m);
  }
}

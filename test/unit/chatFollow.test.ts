// When the conversation keeps the newest text in view, and when it offers "jump to latest".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FollowState, atBottom } from '../../client/webview/follow';

const at = (scrollTop: number) => ({ scrollTop, scrollHeight: 2000, clientHeight: 500 });

test('the bottom counts with a little slack for rounding', () => {
  assert.equal(atBottom(at(1500)), true);
  assert.equal(atBottom(at(1480)), true);
  assert.equal(atBottom(at(1400)), false);
  assert.equal(atBottom({ scrollTop: 0, scrollHeight: 300, clientHeight: 500 }), true, 'content shorter than the view');
});

test('the view follows until the user scrolls up, and offers the jump only then', () => {
  const follow = new FollowState();
  assert.equal(follow.isFollowing, true);
  follow.scrolled(at(1500), true);
  assert.equal(follow.isFollowing, true);
  follow.scrolled(at(600), true);
  assert.equal(follow.isFollowing, false);
  assert.equal(follow.showJump(at(600)), true);
  // Streaming text grows the content; no scroll event, so the user's position is kept.
  assert.equal(follow.showJump({ scrollTop: 600, scrollHeight: 2600, clientHeight: 500 }), true);
});

test('a scroll the user did not make (re-layout, focus) does not stop following', () => {
  const follow = new FollowState();
  follow.scrolled(at(0), false);
  assert.equal(follow.isFollowing, true);
  assert.equal(follow.showJump(at(0)), false);
});

test('scrolling back to the bottom, jumping or asking resumes following', () => {
  const follow = new FollowState();
  follow.scrolled(at(100), true);
  follow.scrolled(at(1500), false);
  assert.equal(follow.isFollowing, true);
  follow.scrolled(at(100), true);
  follow.resume();
  assert.equal(follow.isFollowing, true);
  assert.equal(follow.showJump(at(100)), false);
});

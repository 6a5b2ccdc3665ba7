import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askBeforeLosingEdits } from '../../../electron/security.js';

/** The window keeps unsaved edits unless the person chooses to discard them (will-prevent-unload). */
test('closing a window with unsaved edits asks; only "discard" closes it', async () => {
  const listeners = new Map<string, () => void>();
  const contents = { on: (event: string, fn: () => void) => listeners.set(event, fn) };
  let closed = 0;
  let answer = false;
  askBeforeLosingEdits(
    contents as never,
    () => Promise.resolve(answer),
    () => closed++,
  );
  const fire = async () => {
    listeners.get('will-prevent-unload')!();
    await new Promise((r) => setImmediate(r));
  };
  await fire();
  assert.equal(closed, 0, 'Stay keeps the window and the edits');
  answer = true;
  await fire();
  assert.equal(closed, 1, 'Close without saving closes');
});

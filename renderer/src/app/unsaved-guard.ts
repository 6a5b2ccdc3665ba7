import { useEffect } from 'react';

/**
 * No lost work: forms with unsaved changes register here; leaving the page (sidebar, a link, Back) asks
 * first, and closing the window or reloading gets the browser's own "Leave site?" prompt (Electron turns
 * that into a native dialog: electron/ `will-prevent-unload`).
 */
const dirty = new Map<symbol, string>();

/** Marks this form as holding unsaved changes while `isDirty`; `what` names them in the prompt. */
export function useUnsavedGuard(isDirty: boolean, what: string): void {
  useEffect(() => {
    if (!isDirty) return;
    const key = Symbol(what);
    dirty.set(key, what);
    return () => {
      dirty.delete(key);
    };
  }, [isDirty, what]);
}

export function hasUnsavedChanges(): boolean {
  return dirty.size > 0;
}

/** True when the page may be left: nothing unsaved, or the person chose to discard it. */
export function confirmLeave(): boolean {
  if (dirty.size === 0) return true;
  const list = [...new Set(dirty.values())].join('; ');
  return window.confirm(
    `You have unsaved changes (${list}).\n\nLeave this page and lose them? Choose Cancel to stay and save them.`,
  );
}

let installed = false;
/** The window-close / reload guard (installed once by the app frame). */
export function installUnloadGuard(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('beforeunload', (e) => {
    if (dirty.size === 0) return;
    e.preventDefault();
    // Older Chromium (and Electron) need returnValue set to show the prompt.
    e.returnValue = '';
  });
}

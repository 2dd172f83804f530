import type { KeyboardEvent } from 'react';

/** Enter in a one-line field (not a textarea, select or button) runs `action`. */
export function onEnter(event: KeyboardEvent, action: () => unknown): void {
  if (event.key !== 'Enter' || event.defaultPrevented || event.nativeEvent.isComposing) return;
  const target = event.target as HTMLElement;
  if (!(target instanceof HTMLInputElement) || target.type === 'checkbox') return;
  event.preventDefault();
  void action();
}

/** Typing goes to this element: single-key shortcuts must leave it alone. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  );
}

/** The key press happened inside a dialog or the palette: the view under it must not act. */
export function inOverlay(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('.overlay') !== null;
}

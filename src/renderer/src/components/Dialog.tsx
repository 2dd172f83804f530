import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A modal: Esc or a click on the backdrop closes it, focus moves into it on open and back
 * to where it was on close, and Tab stays inside. While `locked` (work the user must not
 * dismiss by accident, such as a rotation run) neither Esc nor the backdrop closes it.
 */
export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  locked?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>(
      'input, select, textarea, button:not([data-close])',
    );
    first?.focus();
    return () => previous?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (!props.locked) props.onClose();
    }
    if (event.key !== 'Tab' || !box.current) return;
    const focusable = [
      ...box.current.querySelectorAll<HTMLElement>(
        'input, select, textarea, button, [tabindex="0"]',
      ),
    ].filter((element) => !element.hasAttribute('disabled'));
    const first = focusable[0];
    const last = focusable.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  return (
    <div
      className="overlay"
      onMouseDown={(event) =>
        event.target === event.currentTarget && !props.locked && props.onClose()
      }
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        ref={box}
        onKeyDown={onKeyDown}
        data-testid={props.testId}
      >
        <div className="dialog-header row">
          <h2 className="spacer">{props.title}</h2>
          {props.locked ? null : (
            <button
              className="button ghost small"
              data-close
              onClick={props.onClose}
              aria-label="Close"
            >
              Esc
            </button>
          )}
        </div>
        <div className="dialog-body stack">{props.children}</div>
        {props.footer ? <div className="dialog-footer">{props.footer}</div> : null}
      </div>
    </div>
  );
}

/**
 * Cancel and the one action of a dialog. While busy the action is marked, not disabled: a
 * disabled button drops keyboard focus, and Esc would stop closing the dialog. The action
 * itself ignores a second press (see useSubmit).
 */
export function DialogActions(props: {
  onCancel(): void;
  onConfirm(): void;
  label: ReactNode;
  testId: string;
  busy?: boolean;
  /** Not ready to act, e.g. a confirmation not typed yet. */
  disabled?: boolean;
  tone?: 'primary' | 'danger';
}) {
  return (
    <>
      <button className="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button
        className={props.tone === 'danger' ? 'button danger solid' : 'button primary'}
        aria-busy={props.busy ?? false}
        disabled={props.disabled}
        onClick={props.onConfirm}
        data-testid={props.testId}
      >
        {props.label}
      </button>
    </>
  );
}

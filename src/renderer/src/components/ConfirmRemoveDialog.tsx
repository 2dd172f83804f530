import type { ReactNode } from 'react';
import { Dialog, DialogActions } from './Dialog';
import { FormError } from './Field';
import { useSubmit } from './use-submit';

/**
 * "Remove X?" with what removing means (`children`) and a danger button; `remove` runs once,
 * a failure (e.g. the core refusing because something still uses it) stays in place.
 */
export function ConfirmRemoveDialog(props: {
  title: string;
  testId: string;
  confirmTestId: string;
  remove(): Promise<void>;
  onClose(): void;
  children: ReactNode;
}) {
  const { submit, busy, error } = useSubmit(async () => {
    await props.remove();
    props.onClose();
  });
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      testId={props.testId}
      footer={
        <DialogActions
          onCancel={props.onClose}
          onConfirm={() => void submit()}
          label="Remove"
          tone="danger"
          busy={busy}
          testId={props.confirmTestId}
        />
      }
    >
      {props.children}
      <FormError message={error} />
    </Dialog>
  );
}

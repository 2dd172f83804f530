import { useInterchange } from '../../stores/interchange';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';

/** The import and export dialogs, opened from the Inventory or the command palette. */
export function InterchangeDialogs() {
  const open = useInterchange((state) => state.open);
  const close = () => useInterchange.getState().openDialog(null);
  if (open === 'import') return <ImportDialog onClose={close} />;
  if (open === 'export') return <ExportDialog onClose={close} />;
  return null;
}

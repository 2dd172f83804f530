import { errorMessage } from '../api/client';
import { useUi } from '../stores/ui';

/** An export as the contract returns it: what the file is called and what it holds. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: string;
}

/**
 * Saves an export (history, an incident's report) as a download, and says so; a failure of
 * `make` becomes an error toast. The object URL lives only as long as the click needs it.
 */
export async function saveExport(make: () => Promise<ExportedFile>): Promise<void> {
  const { toast } = useUi.getState();
  try {
    const file = await make();
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
    toast('success', `Exported ${file.fileName}`);
  } catch (error) {
    toast('error', errorMessage(error));
  }
}

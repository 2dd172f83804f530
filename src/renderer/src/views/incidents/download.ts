import { call, errorMessage } from '../../api/client';
import { useUi } from '../../stores/ui';
import { localTimeZone } from './time';

/** Saves an incident's report (Markdown) or record (JSON) the way History saves its exports. */
export async function downloadIncident(id: string, format: 'markdown' | 'json'): Promise<void> {
  const { toast } = useUi.getState();
  try {
    const file = await call('incidents.export', { id, format, timeZone: localTimeZone() });
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

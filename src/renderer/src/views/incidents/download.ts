import { call } from '../../api/client';
import { saveExport } from '../../components/save-export';
import { localTimeZone } from './time';

/** Saves an incident's report (Markdown) or record (JSON), local times in this zone. */
export function downloadIncident(id: string, format: 'markdown' | 'json'): Promise<void> {
  return saveExport(() => call('incidents.export', { id, format, timeZone: localTimeZone() }));
}

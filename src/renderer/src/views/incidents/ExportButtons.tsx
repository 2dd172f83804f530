import { Icon } from '../../components/icons';
import { downloadIncident } from './download';

/** The post-incident report (Markdown) and the full record (JSON); neither holds a value. */
export function ExportButtons({ id }: { id: string }) {
  return (
    <>
      <button
        className="button"
        onClick={() => void downloadIncident(id, 'markdown')}
        title="The post-incident report, for people"
        data-testid="export-markdown"
      >
        <Icon name="download" /> Report (Markdown)
      </button>
      <button
        className="button"
        onClick={() => void downloadIncident(id, 'json')}
        title="The whole incident, for tools"
        data-testid="export-json"
      >
        <Icon name="download" /> JSON
      </button>
    </>
  );
}

import type { KeyboardEvent } from 'react';
import { LOCAL_HOST } from '../../../../shared/model';
import { Field } from '../../components/Field';
import { useHosts } from '../../stores/hosts';
import { MAX_DEPTH, MAX_DIRECTORIES, SUGGESTED_DIRECTORIES } from './scanMemory';

/** The directories as the user typed them: one a line, blank lines and repeats dropped. */
export function directoryLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}

/** Why these directories cannot be scanned, or null. Says which line, so it can be fixed. */
export function directoriesProblem(directories: readonly string[]): string | null {
  if (directories.length === 0) return 'Name at least one directory to search, e.g. /srv';
  const relative = directories.find((directory) => !directory.startsWith('/'));
  if (relative) return `"${relative}" is not an absolute path: start it with /, e.g. /srv/synctv`;
  if (directories.length > MAX_DIRECTORIES) {
    return `At most ${MAX_DIRECTORIES} directories per scan; list their common parent instead`;
  }
  return null;
}

export function parseMaxDepth(text: string): number | null {
  const depth = Number(text);
  return text.trim() !== '' && Number.isInteger(depth) && depth >= 0 && depth <= MAX_DEPTH
    ? depth
    : null;
}

/**
 * Where to look: the directories (one per line; Enter adds a line, Ctrl+Enter scans), a few
 * usual places to add with a click, the host and how deep to descend.
 */
export function ScanForm(props: {
  host: string;
  onHostChange(host: string): void;
  directoriesText: string;
  onDirectoriesChange(text: string): void;
  /** Shown once the user tried to scan, or at once for a line that is plainly wrong. */
  directoriesError: string | null;
  maxDepthText: string;
  onMaxDepthChange(text: string): void;
  onSubmit(): void;
}) {
  const listed = directoryLines(props.directoriesText);
  const suggestions = SUGGESTED_DIRECTORIES.filter((directory) => !listed.includes(directory));
  const addDirectory = (directory: string) => {
    const text = props.directoriesText.replace(/\s+$/, '');
    props.onDirectoriesChange(text ? `${text}\n${directory}` : directory);
  };
  // Enter keeps its meaning in a textarea (a new line); the shortcut for "scan" is Ctrl+Enter.
  const submitOnCtrlEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      props.onSubmit();
    }
  };
  const depthValid = parseMaxDepth(props.maxDepthText) !== null;

  return (
    <div className="scan-form">
      <div className="stack scan-directories">
        <Field
          label="Directories to search"
          error={props.directoriesError}
          hint="One absolute path per line. Ctrl+Enter scans."
        >
          <textarea
            className="textarea mono"
            rows={4}
            spellCheck={false}
            value={props.directoriesText}
            aria-invalid={props.directoriesError ? true : undefined}
            onChange={(event) => props.onDirectoriesChange(event.target.value)}
            onKeyDown={submitOnCtrlEnter}
            data-testid="scan-directories"
          />
        </Field>
        {suggestions.length ? (
          <div className="scan-suggestions" role="group" aria-label="Usual places">
            <span>Add</span>
            {suggestions.map((directory) => (
              <button
                key={directory}
                type="button"
                className="chip small mono"
                aria-label={`Add ${directory} to the directories`}
                onClick={() => addDirectory(directory)}
              >
                {directory}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <div className="stack">
        <HostSelect host={props.host} onChange={props.onHostChange} />
        <Field
          label="Max depth"
          error={depthValid ? null : `A whole number from 0 to ${MAX_DEPTH}`}
          hint="Levels below each directory"
        >
          <input
            className="input"
            type="number"
            min={0}
            max={MAX_DEPTH}
            value={props.maxDepthText}
            aria-invalid={depthValid ? undefined : true}
            onChange={(event) => props.onMaxDepthChange(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && props.onSubmit()}
            data-testid="scan-max-depth"
          />
        </Field>
      </div>
    </div>
  );
}

/** `local` (this machine) and every host in the vault; untrusted ones say why a scan fails. */
function HostSelect({ host, onChange }: { host: string; onChange(host: string): void }) {
  const hosts = useHosts((state) => state.hosts);
  return (
    <Field label="Host">
      <select
        className="select"
        value={host}
        onChange={(event) => onChange(event.target.value)}
        data-testid="scan-host-select"
      >
        <option value={LOCAL_HOST}>local (this machine)</option>
        {hosts.map((item) => (
          <option key={item.name} value={item.name}>
            {item.name}
            {item.hostKey ? '' : ' (host key not trusted)'}
          </option>
        ))}
      </select>
    </Field>
  );
}

import type { CandidateView, ImportActionName } from '../../../../shared/interchange-api';
import { useInterchange } from '../../stores/interchange';

const ACTION_LABELS: Record<ImportActionName, string> = {
  create: 'Import',
  version: 'New version',
  rename: 'Import as another name',
  skip: 'Skip',
};

function statusText(candidate: CandidateView): string {
  if (candidate.status === 'same') return `Same value already in ${candidate.match}`;
  if (candidate.status === 'conflict') return `Different value than ${candidate.match}`;
  if (candidate.status === 'invalid') return candidate.reason ?? 'Cannot be imported';
  return 'New';
}

/**
 * The preview: one row per candidate with where it came from, the ref it would get, its value
 * as a fingerprint, length and strength (never the value), how it relates to the inventory,
 * and the user's choice. Duplicates start as "Skip": nothing is merged unless chosen.
 */
export function PreviewTable() {
  const preview = useInterchange((state) => state.preview);
  const choices = useInterchange((state) => state.choices);
  const choose = useInterchange((state) => state.choose);
  if (!preview) return null;
  const duplicates = preview.candidates.filter(
    (c) => c.status === 'same' || c.status === 'conflict',
  );
  return (
    <div className="interchange-preview" data-testid="interchange-preview">
      <p>
        <strong>
          {preview.candidates.length} found · {duplicates.length} already in the vault ·{' '}
          {preview.problems.length} not importable
        </strong>
      </p>
      <table className="candidates">
        <caption className="sr-only">What would be imported</caption>
        <thead>
          <tr>
            <th scope="col">Secret</th>
            <th scope="col">Value</th>
            <th scope="col">In the vault</th>
            <th scope="col">Choice</th>
          </tr>
        </thead>
        <tbody>
          {preview.candidates.map((candidate) => {
            const choice = choices[candidate.id] ?? { action: candidate.defaultAction };
            return (
              <tr
                key={candidate.id}
                data-testid={`candidate-${candidate.id}`}
                data-status={candidate.status}
              >
                <td>
                  <div className="mono">{candidate.ref ?? '—'}</div>
                  <div className="faint">{candidate.source}</div>
                </td>
                <td className="mono">
                  fp:{candidate.fingerprint} · {candidate.length} chars · {candidate.strength}
                </td>
                <td>{statusText(candidate)}</td>
                <td>
                  <select
                    className="input"
                    aria-label={`Choice for ${candidate.ref ?? candidate.source}`}
                    value={choice.action}
                    disabled={candidate.actions.length < 2}
                    onChange={(e) => choose(candidate.id, e.target.value as ImportActionName)}
                    data-testid={`choice-${candidate.id}`}
                  >
                    {candidate.actions.map((action) => (
                      <option key={action} value={action}>
                        {ACTION_LABELS[action]}
                      </option>
                    ))}
                  </select>
                  {choice.action === 'rename' ? (
                    <input
                      className="input mono"
                      aria-label={`New name for ${candidate.ref ?? candidate.source}`}
                      placeholder={`${candidate.ref ?? ''}-imported`}
                      value={choice.ref ?? ''}
                      onChange={(e) => choose(candidate.id, 'rename', e.target.value || undefined)}
                      data-testid={`rename-${candidate.id}`}
                    />
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {preview.problems.length > 0 ? (
        <ul className="faint" data-testid="interchange-problems">
          {preview.problems.map((problem) => (
            <li key={`${problem.source}:${problem.reason}`}>
              {problem.source}: {problem.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

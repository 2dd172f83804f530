import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';
import { endpointText, shortFingerprint } from './HostBadges';

type Candidate = MethodOutput<'hosts.importSshConfig'>['candidates'][number];

/**
 * Takes hosts over from OpenSSH's client config: a preview first (nothing is written), then
 * the hosts the user ticked. Hosts already in the vault are shown but cannot be ticked.
 */
export function SshConfigDialog({ onClose }: { onClose(): void }) {
  const [configPath, setConfigPath] = useState('');
  const [knownHostsPath, setKnownHostsPath] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useHosts((state) => state.load);
  const toast = useUi((state) => state.toast);

  const paths = () => ({
    ...(configPath.trim() ? { configPath: configPath.trim() } : {}),
    ...(knownHostsPath.trim() ? { knownHostsPath: knownHostsPath.trim() } : {}),
  });

  const preview = async () => {
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const result = await call('hosts.importSshConfig', paths());
      setCandidates(result.candidates);
      setChosen(new Set(result.candidates.filter((c) => !c.exists).map((c) => c.name)));
    } catch (failure) {
      setCandidates(null);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const addSelected = async () => {
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const result = await call('hosts.importSshConfig', { ...paths(), add: [...chosen] });
      await load();
      toast(
        'success',
        result.added.length
          ? `Added ${result.added.length} hosts: ${result.added.join(', ')}`
          : 'No hosts added',
      );
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  const toggle = (name: string) => {
    const next = new Set(chosen);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setChosen(next);
  };

  return (
    <Dialog
      title="Import hosts from ~/.ssh/config"
      onClose={onClose}
      testId="ssh-config-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button"
            aria-busy={busy}
            onClick={() => void preview()}
            data-testid="ssh-config-preview"
          >
            Preview
          </button>
          <button
            className="button primary"
            disabled={!candidates || chosen.size === 0}
            aria-busy={busy}
            onClick={() => void addSelected()}
            data-testid="ssh-config-add"
          >
            Add selected{chosen.size ? ` (${chosen.size})` : ''}
          </button>
        </>
      }
    >
      <p className="muted">
        Names, addresses, ports, users and jump hosts come from your OpenSSH config. A key file
        without a passphrase becomes the host&apos;s login key in the vault; a host key your
        known_hosts already trusts becomes its pin.
      </p>
      <div className="grid-2">
        <Field label="OpenSSH config">
          <input
            className="input mono"
            value={configPath}
            placeholder="~/.ssh/config"
            onChange={(e) => (setConfigPath(e.target.value), setCandidates(null))}
            data-testid="ssh-config-path"
          />
        </Field>
        <Field label="known_hosts">
          <input
            className="input mono"
            value={knownHostsPath}
            placeholder="~/.ssh/known_hosts"
            onChange={(e) => (setKnownHostsPath(e.target.value), setCandidates(null))}
            data-testid="known-hosts-path"
          />
        </Field>
      </div>
      {candidates ? (
        <CandidateTable candidates={candidates} chosen={chosen} onToggle={toggle} />
      ) : null}
      <FormError message={error} />
    </Dialog>
  );
}

function CandidateTable(props: {
  candidates: Candidate[];
  chosen: ReadonlySet<string>;
  onToggle(name: string): void;
}) {
  if (props.candidates.length === 0) {
    return <div className="empty-note">The config names no hosts Rekey can take over.</div>;
  }
  return (
    <table className="candidates" data-testid="ssh-config-candidates">
      <thead>
        <tr>
          <th aria-label="Add" />
          <th>Host</th>
          <th>Login</th>
          <th>Host key</th>
          <th>Notes</th>
        </tr>
      </thead>
      <tbody>
        {props.candidates.map((candidate) => (
          <tr
            key={candidate.name}
            data-candidate={candidate.name}
            className={candidate.exists ? 'faint' : ''}
          >
            <td>
              <input
                type="checkbox"
                aria-label={`Add ${candidate.name}`}
                checked={!candidate.exists && props.chosen.has(candidate.name)}
                disabled={candidate.exists}
                onChange={() => props.onToggle(candidate.name)}
              />
            </td>
            <td>
              <div className="cell-name">{candidate.name}</div>
              <div className="mono faint">
                {endpointText(candidate)}
                {candidate.jump ? ` via ${candidate.jump}` : ''}
              </div>
            </td>
            <td className="nowrap">{candidate.login === 'key' ? 'vault key' : 'ssh-agent'}</td>
            <td>
              {candidate.pinned ? (
                <span className="badge ok" title={candidate.pinned}>
                  from known_hosts{' '}
                  <span className="mono">{shortFingerprint(candidate.pinned)}</span>
                </span>
              ) : (
                <span className="badge warn">not trusted</span>
              )}
            </td>
            <td className="muted">
              {[candidate.exists ? 'already in the vault' : null, candidate.note]
                .filter(Boolean)
                .join('; ') || '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

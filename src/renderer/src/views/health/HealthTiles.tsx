import { useEffect } from 'react';
import { countsByKind, useHealth } from '../../stores/health';
import { useSession } from '../../stores/session';

/** The Dashboard's health card: findings by kind, each tile opening the Health view. */

const TILES: { id: string; label: string; kinds: string[]; tone: string }[] = [
  {
    id: 'values',
    label: 'Weak, placeholder or default values',
    kinds: ['default-value', 'example-value', 'placeholder', 'weak'],
    tone: 'danger',
  },
  { id: 'reused', label: 'Reused values', kinds: ['reused', 'reused-targets'], tone: 'warn' },
  { id: 'backup', label: 'Guarded, no recent backup', kinds: ['no-backup'], tone: 'danger' },
  { id: 'stale', label: 'Never rotated', kinds: ['never-rotated'], tone: 'warn' },
  {
    id: 'hosts',
    label: 'Host problems',
    kinds: ['exposed-port', 'readable-file', 'env-in-git'],
    tone: 'danger',
  },
];

export function HealthTiles() {
  const report = useHealth((state) => state.report);
  const load = useHealth((state) => state.load);
  const revision = useSession((state) => state.revision);
  const navigate = useSession((state) => state.navigate);

  useEffect(() => {
    void load();
  }, [load, revision]);

  const counts = countsByKind(report);
  return (
    <section className="card" data-testid="health-tiles">
      <div className="card-header">
        <h2>Health</h2>
        <span className="faint">{report?.hosts ? '' : 'hosts not checked yet'}</span>
        <span className="spacer" />
        <button className="button ghost small" onClick={() => navigate('health')}>
          Health report
        </button>
      </div>
      <div className="tiles">
        {TILES.map((tile) => {
          const value = report
            ? tile.kinds.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0)
            : null;
          return (
            <button
              key={tile.id}
              className={`tile ${value ? tile.tone : ''}`}
              onClick={() => navigate('health')}
              data-testid={`health-tile-${tile.id}`}
            >
              <span className="tile-value">{value ?? '–'}</span>
              <span className="tile-label">{tile.label}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}

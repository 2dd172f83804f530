import { useEffect, useMemo, useRef } from 'react';
import { ROTATION_FILTERS } from './inventory/filters';
import { Icon } from '../components/icons';
import { Shell } from '../components/Shell';
import { useInterchange } from '../stores/interchange';
import { useSecrets } from '../stores/secrets';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { visibleSecrets } from '../stores/visible-secrets';
import { AddSecretDialog } from './inventory/AddSecretDialog';
import { DetailPane } from './inventory/DetailPane';
import { ImportEnvDialog } from './inventory/ImportEnvDialog';
import { SecretTable } from './inventory/SecretTable';

export function Inventory() {
  const items = useSecrets((state) => state.items);
  const loaded = useSecrets((state) => state.loaded);
  const error = useSecrets((state) => state.error);
  const query = useSecrets((state) => state.query);
  const facets = useSecrets((state) => state.facets);
  const sort = useSecrets((state) => state.sort);
  const selectedRef = useSecrets((state) => state.selectedRef);
  const load = useSecrets((state) => state.load);
  const setQuery = useSecrets((state) => state.setQuery);
  const setFacets = useSecrets((state) => state.setFacets);
  const revision = useSession((state) => state.revision);
  const dialog = useUi((state) => state.dialog);
  const openDialog = useUi((state) => state.openDialog);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void load();
  }, [load, revision]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing =
        event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === '/' && !typing && !useUi.getState().dialog) {
        event.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows = visibleSecrets(items, query, facets, sort);
  const deployments = useMemo(
    () => [...new Set(items.map((item) => item.deployment))].sort(),
    [items],
  );

  return (
    <Shell
      flush
      actions={
        <>
          <button
            className="button"
            onClick={() => openDialog('import-env')}
            data-testid="import-button"
          >
            <Icon name="upload" /> Import .env
          </button>
          <button
            className="button"
            onClick={() => useInterchange.getState().openDialog('import')}
            data-testid="interchange-import-button"
          >
            <Icon name="upload" /> Import from…
          </button>
          <button
            className="button"
            onClick={() => useInterchange.getState().openDialog('export')}
            data-testid="interchange-export-button"
          >
            <Icon name="download" /> Export…
          </button>
          <button
            className="button primary"
            onClick={() => openDialog('add-secret')}
            data-testid="add-secret-button"
          >
            <Icon name="plus" /> Add secret
          </button>
        </>
      }
    >
      <div className="inventory" data-testid="screen-inventory">
        <div className="inventory-main">
          <div className="toolbar">
            <input
              ref={search}
              className="input search"
              type="search"
              placeholder="Filter secrets  ( / )"
              title="Matches name, service, impact and tags"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) =>
                e.key === 'ArrowDown' &&
                document.querySelector<HTMLElement>('[data-testid="secret-rows"]')?.focus()
              }
              data-testid="search"
            />
            <select
              className="select"
              value={facets.deployment ?? ''}
              onChange={(e) => setFacets({ deployment: e.target.value || null })}
              aria-label="Deployment"
              data-testid="facet-deployment"
            >
              <option value="">All deployments</option>
              {deployments.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
            <select
              className="select"
              value={facets.rotation ?? ''}
              onChange={(e) =>
                setFacets({ rotation: (e.target.value || null) as typeof facets.rotation })
              }
              aria-label="Rotation"
              data-testid="facet-rotation"
            >
              <option value="">Any rotation state</option>
              {ROTATION_FILTERS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
            <button
              className="chip"
              aria-pressed={facets.strength === 'weak'}
              onClick={() => setFacets({ strength: facets.strength === 'weak' ? null : 'weak' })}
              data-testid="facet-weak"
            >
              Weak
            </button>
            <button
              className="chip"
              aria-pressed={facets.compromised}
              onClick={() => setFacets({ compromised: !facets.compromised })}
              data-testid="facet-compromised"
            >
              Compromised
            </button>
          </div>
          {error ? <div className="form-error">{error}</div> : null}
          {loaded && items.length === 0 ? (
            <div className="empty" data-testid="inventory-empty">
              <Icon name="key" size={28} />
              <span>No secrets yet.</span>
              <div className="row">
                <button className="button" onClick={() => openDialog('import-env')}>
                  Import a .env file
                </button>
                <button className="button primary" onClick={() => openDialog('add-secret')}>
                  Add a secret
                </button>
              </div>
            </div>
          ) : (
            <SecretTable rows={rows} compact={selectedRef !== null} />
          )}
          <div className="table-footer" data-testid="table-footer">
            {rows.length === items.length
              ? `${items.length} secrets`
              : `${rows.length} of ${items.length} secrets`}{' '}
            · ↑↓ to move, Enter or click to open, Esc to close
          </div>
        </div>
        {selectedRef ? <DetailPane key={selectedRef} /> : null}
      </div>
      {dialog === 'add-secret' ? <AddSecretDialog onClose={() => openDialog(null)} /> : null}
      {dialog === 'import-env' ? <ImportEnvDialog onClose={() => openDialog(null)} /> : null}
    </Shell>
  );
}

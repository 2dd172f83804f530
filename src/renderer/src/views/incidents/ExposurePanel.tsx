import type { IncidentDetail } from '../../../../shared/incident-api';
import { Icon } from '../../components/icons';
import { useRotations } from '../../stores/rotations';
import { openSecret } from './navigate';

type AffectedSecret = IncidentDetail['affectedSecrets'][number];

/**
 * What is still exposed: a secret whose exposed version is still current is a value others
 * know and the services still accept. Rotating it is the fix; once rotated it moves down here
 * as "replaced".
 */
export function ExposurePanel({ detail }: { detail: IncidentDetail }) {
  const openWizard = useRotations((state) => state.openWizard);
  const exposed = detail.affectedSecrets.filter((secret) => secret.exposedVersions.length > 0);
  const still = exposed.filter((secret) => secret.stillExposed);
  const replaced = exposed.filter((secret) => !secret.stillExposed);

  return (
    <section
      className={still.length ? 'incident-panel exposure danger' : 'incident-panel exposure'}
      data-testid="exposure-panel"
      data-still-exposed={still.length}
    >
      <h3>What is still exposed</h3>
      {exposed.length === 0 ? (
        <p className="faint">
          No exposed value is recorded. From a secret&apos;s detail, Mark as exposed… records it
          here.
        </p>
      ) : still.length === 0 ? (
        <div className="notice ok" data-testid="nothing-exposed">
          <Icon name="check" /> Nothing exposed is in use any more: every exposed value was
          replaced.
        </div>
      ) : null}
      {still.length ? (
        <ul className="exposure-list">
          {still.map((secret) => (
            <ExposedSecret
              key={secret.ref}
              secret={secret}
              onRotate={() => openWizard([secret.ref])}
            />
          ))}
        </ul>
      ) : null}
      {replaced.length ? (
        <ul className="exposure-list replaced">
          {replaced.map((secret) => (
            <ExposedSecret key={secret.ref} secret={secret} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ExposedSecret({ secret, onRotate }: { secret: AffectedSecret; onRotate?(): void }) {
  return (
    <li data-testid="exposed-secret" data-ref={secret.ref} data-still-exposed={secret.stillExposed}>
      <div className="row">
        <button className="link mono spacer" onClick={() => openSecret(secret.ref)}>
          {secret.ref}
        </button>
        {secret.stillExposed ? (
          <span className="badge danger">in use</span>
        ) : (
          <span className="badge ok">replaced</span>
        )}
        {onRotate ? (
          <button className="button small danger" onClick={onRotate} data-testid="rotate-exposed">
            <Icon name="rotate" /> Rotate…
          </button>
        ) : null}
      </div>
      {secret.impact ? <p className="exposure-impact muted">{secret.impact}</p> : null}
      <Scope secret={secret} />
    </li>
  );
}

/** Which versions leaked and where the current value lives. */
export function Scope({ secret }: { secret: AffectedSecret }) {
  return (
    <dl className="meta-list scope" data-testid="exposure-scope">
      <dt>Exposed</dt>
      <dd>
        {secret.exposedVersions.map((fingerprint) => (
          <code key={fingerprint} className="fingerprint-chip" data-testid="exposed-version">
            fp:{fingerprint}
          </code>
        ))}
      </dd>
      <dt>Lives in</dt>
      <dd>
        {secret.targets.length ? (
          <ul className="link-list">
            {secret.targets.map((target) => (
              <li key={target} className="mono" data-testid="exposed-target">
                {target}
              </li>
            ))}
          </ul>
        ) : (
          <span className="faint">no target recorded: replace it by hand wherever it is used</span>
        )}
      </dd>
    </dl>
  );
}

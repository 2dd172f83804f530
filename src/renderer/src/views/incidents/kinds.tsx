import type { EntryKind } from '../../../../shared/incident-api';
import { Icon, type IconName } from '../../components/icons';

/** What each kind of timeline entry is called and drawn as. */
export const KIND_LABELS: Record<EntryKind, string> = {
  detection: 'Detection',
  assessment: 'Assessment',
  action: 'Action',
  rotation: 'Rotation',
  backup: 'Backup',
  communication: 'Communication',
  decision: 'Decision',
  note: 'Note',
  status: 'Status',
};

const SHARED: Partial<Record<EntryKind, IconName>> = {
  detection: 'alert',
  assessment: 'search',
  action: 'play',
  rotation: 'rotate',
  backup: 'download',
  note: 'edit',
};

// Two shapes the shared icon set has no use for elsewhere: a speech bubble and a flag.
const OWN: Partial<Record<EntryKind, string>> = {
  communication: 'M4 5h16v11H9l-5 4V5Z',
  decision: 'M5 21V4M5 4h11l-2 4 2 4H5',
  status: 'M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm0-4a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z',
};

export function KindIcon({ kind, size = 15 }: { kind: EntryKind; size?: number }) {
  const shared = SHARED[kind];
  if (shared) return <Icon name={shared} size={size} />;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={OWN[kind] ?? ''} />
    </svg>
  );
}

import { create } from 'zustand';
import type {
  ExportKindName,
  ExportResult,
  ImportActionName,
  ImportChoice,
  ImportPreview,
  ImportResult,
  ImportSourceInput,
} from '../../../shared/interchange-api';
import { call } from '../api/client';

/**
 * Import and export as the UI holds them: which dialog is open, the preview of the source
 * (fingerprints and statuses, never a value) and the user's choice per candidate. The source
 * is sent again with the choices; the core checks it is still what was previewed.
 */

interface InterchangeState {
  open: 'import' | 'export' | null;
  source: ImportSourceInput | null;
  deployment: string | null;
  preview: ImportPreview | null;
  choices: Record<string, { action: ImportActionName; ref?: string }>;
  openDialog(which: 'import' | 'export' | null): void;
  loadPreview(source: ImportSourceInput, deployment: string | null): Promise<ImportPreview>;
  choose(id: string, action: ImportActionName, ref?: string): void;
  apply(): Promise<ImportResult>;
  runExport(input: {
    kind: ExportKindName;
    path: string;
    deployment: string | null;
    recipients: string[];
    acknowledgePlaintext: boolean;
    overwrite: boolean;
  }): Promise<ExportResult>;
}

const EMPTY = { source: null, deployment: null, preview: null, choices: {} };

export const useInterchange = create<InterchangeState>((set, get) => ({
  open: null,
  ...EMPTY,
  openDialog(which) {
    set({ open: which, ...EMPTY });
  },
  async loadPreview(source, deployment) {
    set({ preview: null, choices: {} });
    const preview = await call('interchange.preview', {
      source,
      ...(deployment ? { deployment } : {}),
    });
    set({ source, deployment, preview });
    return preview;
  },
  choose(id, action, ref) {
    set((state) => ({ choices: { ...state.choices, [id]: ref ? { action, ref } : { action } } }));
  },
  async apply() {
    const { source, deployment, preview, choices } = get();
    if (!source || !preview) throw new Error('Preview the source first');
    const chosen: ImportChoice[] = Object.entries(choices).map(([id, choice]) => ({
      id,
      ...choice,
    }));
    const result = await call('interchange.apply', {
      source,
      ...(deployment ? { deployment } : {}),
      digest: preview.digest,
      choices: chosen,
    });
    set({ ...EMPTY });
    return result;
  },
  async runExport({ deployment, ...input }) {
    return call('interchange.export', { ...input, ...(deployment ? { deployment } : {}) });
  },
}));

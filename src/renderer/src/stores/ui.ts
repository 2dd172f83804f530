import { create } from 'zustand';

/** `scan-host` scans the selected host (or `local` when none is), `scan-local` this machine. */
export type DialogName =
  | 'add-secret'
  | 'import-env'
  | 'change-password'
  | 'add-host'
  | 'import-ssh-config'
  | 'scan-host'
  | 'scan-local'
  | null;

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

interface UiState {
  paletteOpen: boolean;
  dialog: DialogName;
  toasts: Toast[];
  setPaletteOpen(open: boolean): void;
  openDialog(dialog: DialogName): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextToast = 1;
const TOAST_MS = 5000;

export const useUi = create<UiState>((set, get) => ({
  paletteOpen: false,
  dialog: null,
  toasts: [],
  setPaletteOpen(open) {
    set({ paletteOpen: open });
  },
  openDialog(dialog) {
    set({ dialog, paletteOpen: false });
  },
  toast(kind, text) {
    const id = nextToast++;
    set((state) => ({ toasts: [...state.toasts, { id, kind, text }] }));
    window.setTimeout(() => get().dismiss(id), TOAST_MS);
  },
  dismiss(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
}));

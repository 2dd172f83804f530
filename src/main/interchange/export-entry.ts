/** A secret as the writers see it: its reference parts, current value and free text. */
export interface ExportEntry {
  deployment: string;
  name: string;
  value: string;
  /** The secret's description: kept beside the value where the format has room for it. */
  notes: string;
}

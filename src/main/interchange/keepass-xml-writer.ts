import { randomBytes } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { ExportEntry } from './export-entry';

/**
 * KeePass 2 XML that `keepassxc-cli import` turns into a database: a root group "Rekey" and
 * one group per deployment, an entry per secret (title = name, password = current value,
 * notes = description). Passwords are marked ProtectInMemory, as KeePassXC marks them.
 * This file holds every value in clear: the caller warns and writes it 0600.
 */
export function keepassXml(entries: readonly ExportEntry[], now: Date): string {
  const byDeployment = new Map<string, ExportEntry[]>();
  for (const entry of entries) {
    byDeployment.set(entry.deployment, [...(byDeployment.get(entry.deployment) ?? []), entry]);
  }
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const times = { CreationTime: time, LastModificationTime: time };
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' },
    KeePassFile: {
      Meta: { Generator: 'Rekey', DatabaseName: 'Rekey export' },
      Root: {
        Group: {
          UUID: uuid(),
          Name: 'Rekey',
          Times: times,
          Group: [...byDeployment].map(([deployment, group]) => ({
            UUID: uuid(),
            Name: deployment,
            Times: times,
            Entry: group.map((entry) => ({
              UUID: uuid(),
              Times: times,
              String: [
                { Key: 'Title', Value: entry.name },
                { Key: 'UserName', Value: '' },
                { Key: 'Password', Value: { '#text': entry.value, '@_ProtectInMemory': 'True' } },
                { Key: 'URL', Value: '' },
                { Key: 'Notes', Value: entry.notes },
              ],
            })),
          })),
        },
      },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    indentBy: '\t',
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(document) as string;
}

function uuid(): string {
  return randomBytes(16).toString('base64');
}

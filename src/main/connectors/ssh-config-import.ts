import SSHConfig from 'ssh-config';

/**
 * Hosts from OpenSSH's client configuration (`~/.ssh/config`), resolved the way `ssh` resolves
 * them (first value wins, `Host *` defaults apply) by the `ssh-config` package. Only concrete
 * host names become candidates: wildcard patterns and `Match` blocks only supply defaults.
 */

export interface SshConfigHost {
  name: string;
  address: string;
  port: number;
  user: string | null;
  identityFiles: string[];
  /** The first hop of ProxyJump, when it names a host of this config or a plain address. */
  jump: string | null;
}

function patternsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) =>
      typeof item === 'object' && item !== null && 'val' in item ? String(item.val) : [],
    );
  }
  return [];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function readSshConfig(text: string): SshConfigHost[] {
  const config = SSHConfig.parse(text);
  const names: string[] = [];
  for (const line of config) {
    if (!('param' in line) || line.param.toLowerCase() !== 'host') continue;
    for (const pattern of patternsOf(line.value)) {
      if (!/[*?!]/.test(pattern) && !names.includes(pattern)) names.push(pattern);
    }
  }
  return names.map((name) => {
    const computed = config.compute(name) as Record<string, string | string[] | undefined>;
    const port = Number(first(computed['Port']) ?? 22);
    const jump = first(computed['ProxyJump'])?.split(',')[0]?.trim() ?? null;
    return {
      name,
      address: first(computed['HostName']) ?? name,
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
      user: first(computed['User']) ?? null,
      identityFiles: [computed['IdentityFile'] ?? []].flat(),
      // `ssh -J user@host:port` chains are kept only as a host name Rekey can look up.
      jump:
        jump && jump.toLowerCase() !== 'none'
          ? jump.replace(/^.*@/, '').replace(/:\d+$/, '')
          : null,
    };
  });
}

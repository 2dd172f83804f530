import { posix } from 'node:path';
import type { Finding } from '../../shared/health-api';
import { KUBERNETES_TARGET, type Target } from '../../shared/model';
import type { Connector } from '../connectors/connector';
import { parseDotenv } from '../formats/dotenv';
import { hostFinding, rotateAction, secretFinding } from './finding';
import { exposedPortFindings, parseSsListeners } from './ports';

/**
 * Read-only checks of one host over its connector: which well-known ports listen on the
 * network (`ss -tlnH`), which secret files are readable by group or others (stat), which
 * `.env` files sit in a git work tree (a `.git` in the directory or above: one `git add .`
 * from being committed), and which secrets equal a value of the `.env.example` beside their
 * dotenv target. Nothing is written; values read stay in this function.
 */

/** A file target of a secret on this host, with its current value for the example check. */
export interface HostTarget {
  ref: string;
  target: Target;
  /** The secret's current value, compared in memory only. */
  value: string | null;
}

export interface HostCheckResult {
  findings: Finding[];
  filesChecked: number;
  listeners: number;
  /** What could not be checked (a missing `ss`, an unreadable file), never content. */
  problems: string[];
}

const GIT_WALK_LIMIT = 32;

export function isDotenv(target: Target): boolean {
  return target.format === 'dotenv' || posix.basename(target.path).startsWith('.env');
}

export async function checkHost(
  connector: Connector,
  host: string,
  targets: readonly HostTarget[],
): Promise<HostCheckResult> {
  const result: HostCheckResult = { findings: [], filesChecked: 0, listeners: 0, problems: [] };
  await checkListeners(connector, host, result);
  const files = new Map<string, HostTarget[]>();
  for (const item of targets) {
    if (item.target.format === KUBERNETES_TARGET || item.target.host !== host) continue;
    const list = files.get(item.target.path) ?? [];
    list.push(item);
    files.set(item.target.path, list);
  }
  const gitChecked = new Map<string, string | null>();
  const examples = new Map<string, Set<string> | null>();
  for (const [path, items] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const stat = await connector.stat(path).catch(() => null);
    if (!stat?.isFile) continue;
    result.filesChecked++;
    const permissions = stat.mode & 0o7777;
    if ((permissions & 0o077) !== 0) result.findings.push(readableFinding(host, path, permissions));
    if (!items.some((item) => isDotenv(item.target))) continue;
    const dir = posix.dirname(path);
    if (!gitChecked.has(dir)) gitChecked.set(dir, await gitWorkTree(connector, dir));
    const workTree = gitChecked.get(dir);
    if (workTree) {
      const status = await gitStatusOf(connector, workTree, path);
      if (status !== 'ignored') result.findings.push(gitFinding(host, path, workTree, status));
    }
    if (!examples.has(dir)) examples.set(dir, await exampleValues(connector, dir, result));
    const values = examples.get(dir);
    for (const item of items) {
      if (values && item.value !== null && values.has(item.value.trim())) {
        result.findings.push(
          secretFinding(
            'example-value',
            'high',
            item.ref,
            {
              title: `Equal to a value in ${posix.join(dir, '.env.example')} on ${host}`,
              why: 'The example file is meant to be shared (often committed): its values are public, and a copied example was never changed.',
              fix: 'Rotate it to a generated value.',
            },
            { fixAction: rotateAction(item.ref), detail: `${host}:${dir}` },
          ),
        );
      }
    }
  }
  return result;
}

async function checkListeners(connector: Connector, host: string, result: HostCheckResult) {
  try {
    const run = await connector.exec({ argv: ['ss', '-tlnH'], timeoutMs: 15_000 });
    if (run.code !== 0) {
      result.problems.push(`ss -tlnH failed (exit ${String(run.code)}): listeners not checked`);
      return;
    }
    const listeners = parseSsListeners(run.stdout);
    result.listeners = listeners.length;
    result.findings.push(...exposedPortFindings(host, listeners));
  } catch (error) {
    result.problems.push(
      `listeners not checked: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The work tree root holding `dir` (a `.git` there or above), or null. */
export async function gitWorkTree(connector: Connector, dir: string): Promise<string | null> {
  let at = dir;
  for (let i = 0; i < GIT_WALK_LIMIT; i++) {
    const git = await connector.stat(posix.join(at, '.git')).catch(() => null);
    if (git) return at;
    const parent = posix.dirname(at);
    if (parent === at) return null;
    at = parent;
  }
  return null;
}

/**
 * Whether git tracks the file (it is in the repository already), ignores it (safe), or
 * neither (one `git add .` away); `unknown` when git is missing or refuses the repository.
 */
export async function gitStatusOf(
  connector: Connector,
  workTree: string,
  path: string,
): Promise<'tracked' | 'ignored' | 'untracked' | 'unknown'> {
  const git = async (...args: string[]) =>
    connector
      .exec({ argv: ['git', '-C', workTree, ...args], timeoutMs: 15_000 })
      .then((run) => run.code)
      .catch(() => null);
  const tracked = await git('ls-files', '--error-unmatch', '--', path);
  if (tracked === 0) return 'tracked';
  if (tracked !== 1) return 'unknown';
  return (await git('check-ignore', '-q', '--', path)) === 0 ? 'ignored' : 'untracked';
}

async function exampleValues(
  connector: Connector,
  dir: string,
  result: HostCheckResult,
): Promise<Set<string> | null> {
  const path = posix.join(dir, '.env.example');
  const stat = await connector.stat(path).catch(() => null);
  if (!stat?.isFile) return null;
  try {
    const text = (await connector.readFile(path)).toString('utf8');
    const values = parseDotenv(text).entries.map((entry) => entry.value.trim());
    return new Set(values.filter((value) => value.length > 0));
  } catch {
    result.problems.push(`${path} could not be read`);
    return null;
  }
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

function readableFinding(host: string, path: string, mode: number): Finding {
  const others = (mode & 0o007) !== 0;
  return hostFinding(
    'readable-file',
    others ? 'high' : 'medium',
    host,
    path,
    {
      title: `${path} is mode ${octal(mode)}: ${others ? 'other users' : 'its group'} can read it`,
      why: `It holds secrets; any ${others ? 'local user or compromised service account' : 'member of the group'} on ${host} can read them.`,
      fix: `chmod 600 ${path} (Rekey can do it: "Tighten mode").`,
    },
    { kind: 'tighten-mode', host, path },
  );
}

function gitFinding(
  host: string,
  path: string,
  workTree: string,
  status: 'tracked' | 'untracked' | 'unknown',
): Finding {
  const relative = posix.relative(workTree, path);
  if (status === 'tracked') {
    return hostFinding('env-in-git', 'critical', host, `git:${path}`, {
      title: `${path} is committed to the git repository at ${workTree}`,
      why: 'Its secrets are in the repository history, and from there in every clone and remote it was pushed to.',
      fix: `Rotate every secret in it, \`git rm --cached ${relative}\`, add it to .gitignore, and treat the history as leaked (rewriting it does not reach existing clones).`,
    });
  }
  return hostFinding('env-in-git', 'high', host, `git:${path}`, {
    title: `${path} is inside the git work tree ${workTree} and not ignored`,
    why: 'One `git add .` or `git commit -a` puts every secret of it into the repository history, and from there into every clone and remote.',
    fix: `Add ${relative} to ${posix.join(workTree, '.gitignore')}, or keep the .env outside the work tree.`,
  });
}

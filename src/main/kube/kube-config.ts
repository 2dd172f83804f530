import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { RekeyError } from '../../shared/errors';

/**
 * Kubeconfigs: read from a file or from text kept in the vault, their contexts listed, one
 * picked. A kubeconfig holds credentials, so no error here quotes its text: YAML parsers put
 * the offending source line in their messages, and that line may be a token.
 */

export interface KubeContextSummary {
  name: string;
  cluster: string;
  /** The cluster's API server URL, or null when the context names a cluster that is not there. */
  server: string | null;
  user: string | null;
  /** The context's namespace, else `default`: where namespace-less references point. */
  namespace: string;
  current: boolean;
}

export interface Kubeconfig {
  /** How messages name it: the file's path, or "the kubeconfig kept in the vault". */
  readonly source: string;
  readonly contexts: readonly KubeContextSummary[];
  readonly currentContext: string | null;
  /** The parsed config; pick a context with `selectContext` instead of using it directly. */
  readonly parsed: KubeConfig;
}

/** A kubeconfig with one context chosen, ready for a client. */
export interface SelectedContext {
  readonly config: KubeConfig;
  readonly context: KubeContextSummary;
  readonly server: string;
  readonly source: string;
  /** Plain HTTP to this machine: no credentials are sent (see `isPlainHttp`). */
  readonly plainHttp: boolean;
}

const DEFAULT_NAMESPACE = 'default';
const TEXT_SOURCE = 'the kubeconfig kept in the vault';

function notAKubeconfig(source: string, why: string): RekeyError {
  return new RekeyError('FORMAT_ERROR', `${capitalized(source)} is not a kubeconfig: ${why}.`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Checks the YAML and its shape with our own parser, whose errors carry positions only. */
function checkShape(text: string, source: string): void {
  const document = parseDocument(text, { prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    const line = error.linePos?.[0].line;
    throw notAKubeconfig(source, `not valid YAML${line === undefined ? '' : ` at line ${line}`}`);
  }
  const root: unknown = document.toJS();
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    throw notAKubeconfig(source, 'it is not a YAML mapping');
  const config = root as Record<string, unknown>;
  if (config.kind !== undefined && config.kind !== 'Config')
    throw notAKubeconfig(source, `its kind is ${String(config.kind)}, not Config`);
  if (!Array.isArray(config.contexts) || !Array.isArray(config.clusters))
    throw notAKubeconfig(source, 'it has no contexts and clusters lists');
}

/** The server URL as messages and the UI show it: without any user:password in it. */
function shownServer(server: string | undefined): string | null {
  if (server === undefined) return null;
  try {
    const url = new URL(server);
    if (!url.username && !url.password) return server;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}

function summarize(config: KubeConfig): KubeContextSummary[] {
  return config.getContexts().map((context) => ({
    name: context.name,
    cluster: context.cluster,
    server: shownServer(config.getCluster(context.cluster)?.server),
    user: context.user ?? null,
    namespace: context.namespace ?? DEFAULT_NAMESPACE,
    current: context.name === config.getCurrentContext(),
  }));
}

/**
 * Parses kubeconfig text. `source` names it in messages; `baseDirectory` resolves relative
 * certificate and key paths (the file's directory, as kubectl does).
 */
export function parseKubeconfig(
  text: string,
  source: string = TEXT_SOURCE,
  baseDirectory?: string,
): Kubeconfig {
  checkShape(text, source);
  const parsed = new KubeConfig();
  try {
    parsed.loadFromString(text);
    if (baseDirectory !== undefined) parsed.makePathsAbsolute(baseDirectory);
  } catch (error) {
    // client-node's own messages name entries ("users[0].name is missing"), or a token file
    // that cannot be read; js-yaml's would quote the text, so only its reason is kept.
    const reason =
      error instanceof Error && error.name === 'YAMLException'
        ? String((error as Error & { reason?: unknown }).reason ?? 'not valid YAML')
        : error instanceof Error
          ? error.message
          : String(error);
    throw notAKubeconfig(source, reason);
  }
  const current = parsed.getCurrentContext();
  return {
    source,
    contexts: summarize(parsed),
    currentContext: current ? current : null,
    parsed,
  };
}

/** Reads and parses a kubeconfig file. NOT_FOUND when there is no such file. */
export async function readKubeconfigFile(path: string): Promise<Kubeconfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RekeyError('NOT_FOUND', `There is no kubeconfig at ${path}.`);
    if (code === 'EISDIR')
      throw new RekeyError('INVALID_INPUT', `${path} is a directory, not a kubeconfig file.`);
    throw new RekeyError('IO', `Cannot read the kubeconfig ${path} (${code ?? 'unknown error'}).`, {
      cause: error,
    });
  }
  return parseKubeconfig(text, path, dirname(path));
}

function contextList(kubeconfig: Kubeconfig): string {
  const names = kubeconfig.contexts.map((context) => context.name);
  return names.length === 0 ? 'it has no contexts' : `its contexts are ${names.join(', ')}`;
}

/**
 * Picks a context: `name`, else the kubeconfig's current context. NOT_FOUND naming the
 * contexts there are when it is not there.
 */
export function selectContext(kubeconfig: Kubeconfig, name?: string): SelectedContext {
  const wanted = name ?? kubeconfig.currentContext;
  if (wanted === null)
    throw new RekeyError(
      'INVALID_INPUT',
      `${capitalized(kubeconfig.source)} has no current context; name one (${contextList(kubeconfig)}).`,
    );
  const context = kubeconfig.contexts.find((candidate) => candidate.name === wanted);
  if (!context)
    throw new RekeyError(
      'NOT_FOUND',
      `There is no context "${wanted}" in ${kubeconfig.source}: ${contextList(kubeconfig)}.`,
    );
  if (context.server === null)
    throw notAKubeconfig(
      kubeconfig.source,
      `context ${context.name} names cluster ${context.cluster}, which it does not define`,
    );
  if (context.user !== null && kubeconfig.parsed.getUser(context.user) === null)
    throw notAKubeconfig(
      kubeconfig.source,
      `context ${context.name} names user ${context.user}, which it does not define`,
    );
  // A copy per selection: KubeConfig's current context is mutable shared state.
  const parsed = kubeconfig.parsed;
  const cluster = parsed.getCluster(context.cluster);
  const plainHttp = isPlainHttp(cluster?.server ?? context.server, context.name);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: parsed
      .getClusters()
      .map((entry) =>
        plainHttp && entry.name === context.cluster ? { ...entry, skipTLSVerify: true } : entry,
      ),
    users: parsed.getUsers(),
    contexts: parsed
      .getContexts()
      .map((entry) =>
        plainHttp && entry.name === context.name ? { ...entry, user: ANONYMOUS } : entry,
      ),
    currentContext: context.name,
  });
  return { config, context, server: context.server, source: kubeconfig.source, plainHttp };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** A user name no kubeconfig entry has: no credentials. */
const ANONYMOUS = '';

/**
 * Plain HTTP is for this machine only (`kubectl proxy`, a local tunnel): anywhere else it
 * would carry every Secret value in the clear. Like kubectl (client-go reads credentials for
 * TLS transports only), Rekey then sends no credentials: the proxy adds its own. client-node
 * refuses `http:` unless TLS verification is "skipped", which means nothing without TLS.
 */
function isPlainHttp(server: string, contextName: string): boolean {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new RekeyError('FORMAT_ERROR', `The server of context ${contextName} is not a URL.`);
  }
  if (url.protocol !== 'http:') return false;
  if (!LOOPBACK.test(url.hostname))
    throw new RekeyError(
      'INVALID_INPUT',
      `Context ${contextName} talks to ${shownServer(server) ?? ''} over plain HTTP: Rekey talks to a cluster ` +
        'over HTTPS, or over HTTP to this machine only (kubectl proxy, a local tunnel).',
    );
  return true;
}

/**
 * Bearer tokens and the RBAC rules bound to their users. A rule with `namespaces` is a Role
 * bound in each of them; without, a ClusterRole bound cluster-wide (the only way to list
 * across all namespaces or to read namespaces). Like RBAC, rules only allow: no deny rules.
 */

export type KubeVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | '*';

export interface KubeRule {
  verbs: readonly KubeVerb[];
  /** Plural resource names (`secrets`, `deployments`), `*` for all. */
  resources: readonly string[];
  /** API groups (`''`, `apps`); any group when absent. */
  apiGroups?: readonly string[];
  /** Namespaces the rule applies in; cluster-wide when absent. */
  namespaces?: readonly string[];
  /** Restricts the rule to these object names (as RBAC `resourceNames`). */
  resourceNames?: readonly string[];
}

export interface TokenOptions {
  user: string;
  rules: readonly KubeRule[];
  groups?: readonly string[];
  /** An expired token authenticates no one: 401, as for an unknown token. */
  expired?: boolean;
}

export interface Identity {
  user: string;
  groups: readonly string[];
  rules: readonly KubeRule[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  /** '' at the cluster scope. */
  namespace: string;
  /** '' for collections. */
  name: string;
}

export const ALL_RIGHTS: readonly KubeRule[] = [{ verbs: ['*'], resources: ['*'] }];

export class Tokens {
  private readonly tokens = new Map<string, TokenOptions>();

  add(token: string, options: TokenOptions): void {
    if (!token || /\s/.test(token)) throw new Error('a bearer token is one non-empty word');
    this.tokens.set(token, { ...options });
  }

  remove(token: string): void {
    this.tokens.delete(token);
  }

  expire(token: string): void {
    const found = this.tokens.get(token);
    if (found) found.expired = true;
  }

  userOf(token: string): string | undefined {
    return this.tokens.get(token)?.user;
  }

  /** The identity behind an `Authorization` header, undefined when it authenticates no one. */
  authenticate(header: string | undefined): Identity | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const found = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (!found || found.expired) return undefined;
    return {
      user: found.user,
      groups: [...(found.groups ?? []), 'system:authenticated'],
      rules: found.rules,
    };
  }
}

export function allows(identity: Identity, request: Attributes): boolean {
  return identity.rules.some((rule) => ruleAllows(rule, request));
}

function ruleAllows(rule: KubeRule, request: Attributes): boolean {
  const has = (list: readonly string[] | undefined, value: string) =>
    list === undefined || list.includes('*') || list.includes(value);
  if (!has(rule.verbs, request.verb) || !has(rule.resources, request.resource)) return false;
  if (!has(rule.apiGroups, request.group)) return false;
  // A Role in a namespace covers requests in that namespace only, never the cluster scope.
  if (rule.namespaces && !rule.namespaces.includes(request.namespace)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    return request.name !== '' && rule.resourceNames.includes(request.name);
  }
  return true;
}

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type KubeApiServer,
  type WorkloadObject,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { openUnlocked } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { ClustersPage } from './pages/clusters-page';
import { HostsPage } from './pages/hosts-page';

/**
 * A user whose shop runs on k3s brings its Secrets under Rekey from the Hosts view: adds the
 * cluster from a kubeconfig file, tests it, scans its namespace (system Secrets left out,
 * who reads what shown), adopts one key into a deployment and finds it in the inventory with
 * its kubernetes target. No value reaches the page or the stores.
 */

const server = useKubeApiServer();
const b64 = (text: string) => Buffer.from(text).toString('base64');

function seed(api: KubeApiServer, namespace: string) {
  const values = {
    password: randomBytes(32).toString('hex'),
    jwt: randomBytes(32).toString('hex'),
    token: randomBytes(32).toString('hex'),
  };
  const secret = (name: string, data: Record<string, string>, type = 'Opaque') =>
    api.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type,
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    });
  secret('db-credentials', { password: values.password });
  secret('web-env', { JWT_SECRET: values.jwt });
  secret('default-token-q8w2z', { token: values.token }, 'kubernetes.io/service-account-token');
  const web: WorkloadObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.example/web:1.0',
              envFrom: [{ secretRef: { name: 'web-env' } }],
              env: [
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } },
                },
              ],
            },
          ],
        },
      },
    },
  };
  api.put(web);
  return values;
}

describe('Kubernetes clusters in the Hosts view', () => {
  const ui = useRekeyUi();

  it('adds a cluster from a kubeconfig file, tests it, scans it and adopts a key', async () => {
    const api = server();
    const namespace = `shop-${randomBytes(3).toString('hex')}`;
    const values = seed(api, namespace);
    const { ui: opened, base, inventory } = await openUnlocked(ui, []);
    const { page } = opened;
    const kubeconfig = api.writeKubeconfig(opened.dir, [
      { context: 'k3s-shop', namespace },
      { context: 'k3s-other', namespace: 'default' },
    ]);
    const hosts = new HostsPage(page, opened.errors);
    const clusters = new ClustersPage(page, opened.errors);

    const expectNoValuesInPage = async () => {
      const html = await page.evaluate<string>('document.documentElement.outerHTML');
      const stores = await page.evaluate<string>(
        'JSON.stringify(window.__rekeyStores?.() ?? null)',
      );
      for (const value of Object.values(values)) {
        for (const form of [value, b64(value)]) {
          expect(html).not.toContain(form);
          expect(stores).not.toContain(form);
        }
      }
    };

    await hosts.open();
    await clusters.section.getByTestId('clusters-empty').waitFor();
    const contexts = await clusters.addFromPath({ name: 'k3s', path: kubeconfig });
    expect(contexts).toEqual(['k3s-shop', 'k3s-other']);
    expect(await clusters.rows()).toEqual([
      { name: 'k3s', context: 'k3s-shop', namespace, kubeconfig },
    ]);

    const tested = await clusters.test('k3s');
    expect(tested.passed).toBe(true);
    expect(tested.text).toMatch(
      new RegExp(`^Connected to https://127\\.0\\.0\\.1:\\d+: namespace ${namespace}, 3 Secrets`),
    );

    await screenshot(page, 'hosts-clusters');
    const dialog = await clusters.openScan('k3s');
    expect(await dialog.scan()).toBeNull();
    const findings = await dialog.clusterFindings();
    await screenshot(page, 'cluster-scan');
    expect(findings.map((f) => `${f.path}#${f.key}`)).toEqual([
      `${namespace}/db-credentials#password`,
      `${namespace}/web-env#JWT_SECRET`,
    ]);
    expect(findings[0]).toMatchObject({
      name: 'db-credentials.password',
      strength: 'strong',
      readBy: 'Deployment web (env)',
      status: 'new',
      selectable: true,
    });
    expect(findings[0]?.fingerprint).toMatch(/^fp:[0-9a-f]{12}$/);
    expect(await dialog.secretReaders()).toEqual({
      [`${namespace}/db-credentials`]: 'read by Deployment web (env)',
      [`${namespace}/web-env`]: 'read by Deployment web (envFrom)',
    });
    expect(await dialog.root.getByTestId('scan-summary').innerText()).toContain(
      '1 system Secret skipped',
    );
    await expectNoValuesInPage();

    // Keyboard: the first checkbox is reachable and Space ticks it.
    await dialog.root.locator('tr[data-key="password"] input[type="checkbox"]').focus();
    await page.keyboard.press('Space');
    expect(await dialog.addLabel()).toBe('Add 1 selected to the inventory');
    await dialog.root
      .locator('tr[data-key="password"]')
      .getByTestId('finding-name')
      .fill('db.password');
    await dialog.setDeployment('shop');
    const outcome = await dialog.addSelected();
    expect(outcome).toMatchObject({ added: ['shop/db.password'], skipped: [] });
    const after = await dialog.clusterFindings();
    expect(after[0]).toMatchObject({ status: 'tracked by shop/db.password', selectable: false });
    await expectNoValuesInPage();
    await dialog.close();

    await base.navigate('inventory');
    await expect.poll(() => inventory.visibleRefs()).toEqual(['shop/db.password']);
    const detail = await inventory.open('shop/db.password');
    const metadata = await detail.metadata();
    expect(metadata['Lives in']).toContain(`k3s${namespace}/db-credentials`);
    expect(metadata['Lives in']).toContain('kubernetes · password');
    expect(metadata['Handling']).toContain('restart Deployment web after a change');
    await expectNoValuesInPage();

    // Editing keeps the name and the kubeconfig file; the context and namespace change.
    await hosts.open();
    const edited = await clusters.edit('k3s', { context: 'k3s-other', namespace: 'tools' });
    expect(edited).toEqual({
      contexts: ['k3s-shop', 'k3s-other'],
      chosen: 'k3s-shop',
      nameEditable: false,
    });
    await expect
      .poll(() => clusters.rows())
      .toEqual([{ name: 'k3s', context: 'k3s-other', namespace: 'tools (set here)', kubeconfig }]);

    // The cluster cannot go while a secret's target names it; the dialog says so in place.
    expect(await clusters.removeRefused('k3s')).toContain('still used by secret shop/db.password');
    expect(await clusters.rows()).toHaveLength(1);
    base.expectNoConsoleErrors();
  });
});

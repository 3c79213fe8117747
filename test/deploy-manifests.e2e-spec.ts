import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The deploy files cannot be run here (no Docker, no cluster): this checks them as an operator's
 * tools would, each Kubernetes object against its API schema (kubernetes-models), and the
 * mistakes that schemas let through: selectors that catch the migration Job's pod, a replica
 * count beside an autoscaler, an image built once per service.
 */
const KUBERNETES = path.resolve('deploy/kubernetes');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: unknown };

/** A field of a parsed object by its dotted path, e.g. `spec.selector.matchLabels`. */
function at<T>(object: unknown, dotted: string): T {
  return dotted.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object) as T;
}

async function manifests(file: string): Promise<Manifest[]> {
  const text = await readFile(path.join(KUBERNETES, file), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJSON() as Manifest);
}

/** The files `kubectl apply -k` applies, plus the Job applied by hand. */
async function everyManifest(): Promise<Manifest[]> {
  const kustomization = parse(await readFile(path.join(KUBERNETES, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  const files = [...kustomization.resources, 'migration-job.yaml'];
  return (await Promise.all(files.map(manifests))).flat();
}

/** kubernetes-models' class for an object, e.g. apps/v1 Deployment → `kubernetes-models/apps/v1`. */
async function modelOf({ apiVersion, kind }: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const group = apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`; // v1 → the core group
  const module = (await import(`kubernetes-models/${group.replace(/^core\//, '')}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = module[kind];
  if (!model) throw new Error(`No schema for ${apiVersion} ${kind}`);
  return model;
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Deploy files', () => {
  it('every Kubernetes object is valid against its API schema', async () => {
    const objects = await everyManifest();
    expect(objects.map((object) => object.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'Service', 'Service'].sort(),
    );
    for (const object of objects) {
      const Model = await modelOf(object);
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it('catches a wrong field, so that the check above can fail', async () => {
    const [deployment] = await manifests('deployment.yaml');
    const Model = await modelOf(deployment!);
    expect(() => new Model({ ...deployment, spec: { ...(deployment!.spec as object), replicas: 'three' } }).validate()).toThrow();
  });

  it("selects the gateway's pods and never the migration Job's", async () => {
    const objects = await everyManifest();
    const gateway = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'payment-gateway')!;
    const job = objects.find((object) => object.kind === 'Job')!;
    const selectors = [
      at<Record<string, string>>(gateway, 'spec.selector.matchLabels'),
      at<Record<string, string>>(objects.find((object) => object.kind === 'Service' && object.metadata.name === 'payment-gateway'), 'spec.selector'),
      at<Record<string, string>>(objects.find((object) => object.kind === 'PodDisruptionBudget'), 'spec.selector.matchLabels'),
    ];
    for (const selector of selectors) {
      expect(matches(selector, at(gateway, 'spec.template.metadata.labels'))).toBe(true);
      expect(matches(selector, at(job, 'spec.template.metadata.labels'))).toBe(false);
    }
  });

  it('leaves the replica count to the autoscaler', async () => {
    const objects = await everyManifest();
    const hpa = objects.find((object) => object.kind === 'HorizontalPodAutoscaler')!;
    const target = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === at(hpa, 'spec.scaleTargetRef.name'))!;
    expect(target).toBeDefined();
    expect(at(target, 'spec.replicas')).toBeUndefined();
  });

  it('compose builds the gateway image once and runs it everywhere', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, { build?: string; image?: string }> };
    const built = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
    expect(built).toHaveLength(1);
    const image = built[0]![1].image!;
    expect(image).toBeTruthy();
    for (const name of ['app-1', 'app-2', 'acquirer-a', 'acquirer-b']) expect(compose.services[name]!.image).toBe(image);
  });

  it('nginx re-resolves the app containers and does not publish /metrics', async () => {
    const nginx = await readFile('deploy/nginx.conf', 'utf8');
    expect(nginx).toMatch(/^\s*resolver 127\.0\.0\.11 /m);
    for (const server of nginx.match(/^\s*server app-\d:3000[^;]*;/gm)!) expect(server).toContain(' resolve');
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});

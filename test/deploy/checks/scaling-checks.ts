import { type K8sObject, objectId } from '../support/k8s-object.js';
import { containersOf, findObject, meshServices, podLabels, selects } from '../support/workloads.js';
import type { Check } from './deploy-context.js';

/** Every HPA scales a rendered Deployment, within sane bounds, on CPU its pods request. */
export const autoscalers: Check = ({ objects }) => {
  const hpas = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
  const own = hpas.flatMap((hpa) => {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const target = findObject(objects, ref.kind, ref.name);
    if (!target) return [`${objectId(hpa)} scales ${ref.kind}/${ref.name}, which is not rendered`];
    const { minReplicas = 1, maxReplicas } = hpa.spec;
    const violations =
      minReplicas > maxReplicas ? [`${objectId(hpa)} has minReplicas above maxReplicas`] : [];
    const unrequested = containersOf(target).filter(({ container }) => !container.resources?.requests?.cpu);
    return [
      ...violations,
      ...unrequested.map(({ id }) => `${objectId(hpa)} scales on CPU but ${id} requests none`),
    ];
  });
  const unscaled = meshServices(objects)
    .filter((service) => !hpas.some((hpa) => hpa.spec?.scaleTargetRef?.name === service.metadata.name))
    .map((service) => `${objectId(service)} has no HorizontalPodAutoscaler`);
  return [...own, ...unscaled];
};

/** Every service has a PodDisruptionBudget that selects its pods. */
export const disruptionBudgets: Check = ({ objects }) =>
  meshServices(objects)
    .filter(
      (service: K8sObject) =>
        !objects.some(
          (pdb) =>
            pdb.kind === 'PodDisruptionBudget' &&
            Object.keys(pdb.spec?.selector?.matchLabels ?? {}).length > 0 &&
            selects(pdb.spec.selector.matchLabels, podLabels(service)),
        ),
    )
    .map((service) => `${objectId(service)} has no PodDisruptionBudget`);

/** Every service in services/ is deployed, and the migration Job exists. */
export const everythingDeployed: Check = ({ objects, serviceEnv }) => {
  const deployed = new Set(meshServices(objects).map((service) => service.metadata.name));
  const missing = [...serviceEnv.keys()]
    .filter((name) => !deployed.has(name))
    .map((name) => `service ${name} is not deployed`);
  const job = objects.some(
    (object) =>
      object.kind === 'Job' && object.metadata.labels?.['app.kubernetes.io/component'] === 'migrate',
  );
  return [...missing, ...(job ? [] : ['no migration Job'])];
};

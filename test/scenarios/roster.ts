/**
 * Who is in the fleet and how much each host says: the hosts' roles and names, and per role the
 * activities that log at random moments (requests, queries, kubelet chatter, scanners) with their
 * rates in episodes per second at the busiest time of the week, before the fleet's `rate` factor.
 */
import type { Role } from '../support/corpus/catalog.ts';
import { ROLE_HOSTNAME, TEAM } from '../support/corpus/catalog.ts';
import type { Recorder } from '../support/corpus/recorder.ts';
import { pad2 } from '../support/corpus/time-text.ts';
import { billingWorker } from '../support/corpus/units/billing.ts';
import { ciJob, containerd, dockerd, kubelet, podChurn } from '../support/corpus/units/containers.ts';
import { desktop, networkManager } from '../support/corpus/units/desktop.ts';
import { firewallBlock, kernelNoise } from '../support/corpus/units/kernel.ts';
import { postgres } from '../support/corpus/units/postgres.ts';
import { sshLogin, sshScan, sudo } from '../support/corpus/units/ssh.ts';
import { chrony, systemdNoise } from '../support/corpus/units/system.ts';
import { nginxAccess, nginxError, ordersApi } from '../support/corpus/units/web.ts';
import type { Profile } from './seasonality.ts';

export interface Activity {
  /**
   * The unit whose work this is: a silenced or crash-looping unit's activities pause (pod churn is
   * kubelet's work even where containerd and the kernel log it).
   */
  unit: string;
  perSecond: number;
  profile: Profile;
  run: (rec: Recorder) => void;
}

/**
 * The first four hosts cover the roles every incident needs (a small fleet is still complete); the
 * rest grow the fleet the way a small shop grows.
 */
const ROSTER: Role[] = [
  'web',
  'db',
  'worker',
  'k8s',
  'web',
  'k8s',
  'ci',
  'web',
  'k8s',
  'dev',
  'worker',
  'db',
];

const SUBNET: Record<Role, number> = { web: 1, k8s: 2, db: 5, worker: 6, ci: 7, dev: 8 };

export interface HostSlot {
  name: string;
  role: Role;
  /** Its private address (the web hosts' orders API already knows the databases as 10.0.5.x). */
  address: string;
}

export function roster(count: number): HostSlot[] {
  const perRole = new Map<Role, number>();
  return Array.from({ length: count }, (_, index) => {
    const role = ROSTER[index % ROSTER.length] as Role;
    const number = (perRole.get(role) ?? 0) + 1;
    perRole.set(role, number);
    return {
      name: `${ROLE_HOSTNAME[role]}-${pad2(number)}`,
      role,
      address: `10.0.${SUBNET[role]}.${9 + number}`,
    };
  });
}

/** Only these face the internet on port 22: the scanners find them, and only them. */
export const PUBLIC_ROLES: readonly Role[] = ['web', 'ci'];

const EVERY_HOST: Activity[] = [
  { unit: 'kernel', perSecond: 0.002, profile: 'flat', run: kernelNoise },
  { unit: 'chrony.service', perSecond: 0.0015, profile: 'flat', run: chrony },
  { unit: 'ssh.service', perSecond: 0.0003, profile: 'office', run: sshLogin },
];

const ROLE_ACTIVITIES: Record<Role, Activity[]> = {
  web: [
    { unit: 'nginx.service', perSecond: 1.5, profile: 'traffic', run: nginxAccess },
    { unit: 'nginx.service', perSecond: 0.02, profile: 'traffic', run: nginxError },
    { unit: 'orders-api.service', perSecond: 0.6, profile: 'traffic', run: ordersApi },
    { unit: 'kernel', perSecond: 0.03, profile: 'flat', run: firewallBlock },
    { unit: 'ssh.service', perSecond: 0.0004, profile: 'flat', run: sshScan },
    { unit: 'systemd-journald.service', perSecond: 0.002, profile: 'traffic', run: systemdNoise },
  ],
  db: [{ unit: 'postgresql@15-main.service', perSecond: 0.8, profile: 'traffic', run: postgres }],
  worker: [{ unit: 'billing-worker.service', perSecond: 0.5, profile: 'traffic', run: billingWorker }],
  k8s: [
    { unit: 'kubelet.service', perSecond: 0.5, profile: 'steady', run: kubelet },
    { unit: 'containerd.service', perSecond: 0.2, profile: 'steady', run: (rec) => containerd(rec, 'k8s') },
    { unit: 'kubelet.service', perSecond: 0.002, profile: 'traffic', run: podChurn },
    { unit: 'systemd-journald.service', perSecond: 0.003, profile: 'steady', run: systemdNoise },
  ],
  ci: [
    { unit: 'docker.service', perSecond: 0.08, profile: 'office', run: dockerd },
    {
      unit: 'containerd.service',
      perSecond: 0.03,
      profile: 'office',
      run: (rec) => containerd(rec, 'docker'),
    },
    { unit: 'docker.service', perSecond: 0.004, profile: 'office', run: ciJob },
    { unit: 'ssh.service', perSecond: 0.0004, profile: 'flat', run: sshScan },
  ],
  dev: [
    { unit: 'user@1004.service', perSecond: 0.08, profile: 'office', run: desktop },
    { unit: 'NetworkManager.service', perSecond: 0.01, profile: 'office', run: networkManager },
    { unit: 'ssh.service', perSecond: 0.0002, profile: 'office', run: (rec) => sudo(rec, TEAM[0]) },
  ],
};

export function activitiesOf(role: Role): Activity[] {
  return [...EVERY_HOST, ...ROLE_ACTIVITIES[role]];
}

/** The service each role exists to run: what deploys restart and what incidents hit. */
export const MAIN_SERVICE: Record<Role, { unit: string; description: string }> = {
  web: { unit: 'orders-api.service', description: 'Orders API' },
  db: { unit: 'postgresql@15-main.service', description: 'PostgreSQL Cluster 15-main' },
  worker: { unit: 'billing-worker.service', description: 'Billing worker' },
  k8s: { unit: 'kubelet.service', description: 'kubelet: The Kubernetes Node Agent' },
  ci: { unit: 'docker.service', description: 'Docker Application Container Engine' },
  dev: { unit: 'gdm.service', description: 'GNOME Display Manager' },
};

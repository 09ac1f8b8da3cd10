/** Kubernetes nodes and CI runners: kubelet (klog), containerd and dockerd (logrus), pods and CI jobs coming and going. */
import { CONTAINER_IMAGES, MINUTE, POD_APPS, SECOND } from '../catalog.ts';
import type { Recorder, Source } from '../recorder.ts';
import { systemd } from './system.ts';

function kubeletSource(rec: Recorder): Source {
  return rec.daemon('kubelet.service', 'stdout', 'kubelet', {
    uid: 0,
    gid: 0,
    comm: 'kubelet',
    exe: '/usr/bin/kubelet',
    cmdline:
      '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
  });
}

export function klog(rec: Recorder, level: 'I' | 'W' | 'E', file: string, text: string): void {
  const kubelet = kubeletSource(rec);
  rec.entry(
    kubelet,
    6,
    `${level}${rec.time.klog(rec.clockUs)} ${String(kubelet.pid).padStart(7)} ${file}] ${text}`,
  );
}

export function kubelet(rec: Recorder): void {
  const random = rec.random;
  const pod = random.pick(rec.host.pods);
  const namespace = pod.startsWith('coredns') || pod.startsWith('node-exporter') ? 'kube-system' : 'shop';
  const podUid = `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
  const container = pod.split('-').slice(0, -2).join('-');
  const roll = random.next();
  if (roll < 0.3) {
    klog(
      rec,
      'I',
      'prober.go:107',
      `"Probe failed" probeType="${random.pick(['Readiness', 'Liveness'])}" pod="${namespace}/${pod}" podUID="${podUid}" containerName="${container}" probeResult="failure" output="Get \\"http://10.244.${random.int(0, 9)}.${random.int(2, 250)}:8080/healthz\\": ${random.pick(['context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'dial tcp 10.244.1.23:8080: connect: connection refused'])}"`,
    );
  } else if (roll < 0.5) {
    klog(
      rec,
      'E',
      'pod_workers.go:1298',
      `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${container}\\" with CrashLoopBackOff: \\"back-off ${random.pick(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'])} restarting failed container=${container} pod=${pod}_${namespace}(${podUid})\\"" pod="${namespace}/${pod}" podUID="${podUid}"`,
    );
  } else if (roll < 0.65) {
    klog(
      rec,
      'I',
      'kubelet_volumes.go:161',
      `"Cleaned up orphaned pod volumes dir" podUID="${podUid}" path="/var/lib/kubelet/pods/${podUid}/volumes"`,
    );
  } else if (roll < 0.8) {
    klog(rec, 'I', 'scope.go:117', `"RemoveContainer" containerID="${random.hex(64)}"`);
  } else if (roll < 0.9) {
    klog(
      rec,
      'W',
      'reflector.go:535',
      `object-"${namespace}"/"kube-root-ca.crt": failed to list *v1.ConfigMap: configmaps "kube-root-ca.crt" is forbidden: User "system:node:${rec.host.name}" cannot list resource "configmaps" in API group "" in the namespace "${namespace}": no relationship found between node '${rec.host.name}' and this object`,
    );
  } else {
    klog(
      rec,
      'I',
      'image_gc_manager.go:321',
      `"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=${random.int(85, 95)} highThreshold=85 amountToFree=${random.int(100_000_000, 9_000_000_000)} lowThreshold=80`,
    );
  }
}

function containerdSource(rec: Recorder): Source {
  return rec.daemon('containerd.service', 'stdout', 'containerd', {
    uid: 0,
    gid: 0,
    comm: 'containerd',
    exe: '/usr/bin/containerd',
    cmdline: '/usr/bin/containerd',
  });
}

function logrus(rec: Recorder, source: Source, level: string, message: string, fields = ''): void {
  rec.entry(source, 6, `time="${rec.time.iso(rec.clockUs, 9)}" level=${level} msg="${message}"${fields}`);
}

export function containerd(rec: Recorder, flavour: 'k8s' | 'docker'): void {
  const random = rec.random;
  const source = containerdSource(rec);
  const id = random.hex(64);
  const namespace = flavour === 'k8s' ? 'k8s.io' : 'moby';
  const roll = random.next();
  if (roll < 0.35) {
    logrus(rec, source, 'info', 'shim disconnected', ` id=${id} namespace=${namespace}`);
    logrus(rec, source, 'warning', 'cleaning up after shim disconnected', ` id=${id} namespace=${namespace}`);
    logrus(rec, source, 'info', 'cleaning up dead shim', ` namespace=${namespace}`);
  } else if (roll < 0.6) {
    logrus(
      rec,
      source,
      'info',
      `ImageUpdate event name:\\"${random.pick(CONTAINER_IMAGES)}\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}`,
    );
  } else if (roll < 0.85) {
    logrus(
      rec,
      source,
      'error',
      `ContainerStatus for \\"${id}\\" failed`,
      ` error="rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"`,
    );
  } else {
    logrus(
      rec,
      source,
      'info',
      `loading plugin \\"io.containerd.event.v1.publisher\\"...`,
      ' runtime=io.containerd.runc.v2 type=io.containerd.event.v1',
    );
  }
}

export function podChurn(rec: Recorder): void {
  const random = rec.random;
  const host = rec.host;
  const old = random.int(0, host.pods.length - 1);
  const app = random.pick(POD_APPS);
  const pod = `${app}-${random.hex(10)}-${random.hex(5)}`;
  const gone = host.pods[old] as string;
  host.pods[old] = pod;
  const containerd = containerdSource(rec);
  const sandbox = random.hex(64);
  const container = random.hex(64);
  const veth = `veth${random.hex(8)}`;
  const port = random.int(2, 40);
  const kernel = rec.kernel();
  logrus(
    rec,
    containerd,
    'info',
    `RunPodSandbox for &PodSandboxMetadata{Name:${pod},Uid:${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)},Namespace:shop,Attempt:0,}`,
  );
  rec.entry(kernel, 6, `cni0: port ${port}(${veth}) entered blocking state`);
  rec.entry(kernel, 6, `cni0: port ${port}(${veth}) entered disabled state`);
  rec.entry(kernel, 6, `device ${veth} entered promiscuous mode`);
  rec.entry(kernel, 6, `cni0: port ${port}(${veth}) entered forwarding state`);
  rec.later(random.int(200_000, 2_000_000), () => {
    logrus(
      rec,
      containerd,
      'info',
      `RunPodSandbox for &PodSandboxMetadata{Name:${pod},Namespace:shop,Attempt:0,} returns sandbox id \\"${sandbox}\\"`,
    );
    logrus(
      rec,
      containerd,
      'info',
      `CreateContainer within sandbox \\"${sandbox}\\" for container &ContainerMetadata{Name:${app},Attempt:0,}`,
    );
    logrus(rec, containerd, 'info', `StartContainer for \\"${container}\\"`);
    rec.later(random.int(100_000, 900_000), () => {
      logrus(rec, containerd, 'info', `StartContainer for \\"${container}\\" returns successfully`);
      klog(
        rec,
        'I',
        'kubelet.go:2457',
        `"SyncLoop (PLEG): event for pod" pod="shop/${pod}" event={"ID":"${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}","Type":"ContainerStarted","Data":"${container}"}`,
      );
    });
  });
  rec.later(random.int(1 * SECOND, 20 * SECOND), () => {
    const oldVeth = `veth${random.hex(8)}`;
    klog(rec, 'I', 'kubelet.go:2436', `"SyncLoop DELETE" source="api" pods=["shop/${gone}"]`);
    logrus(rec, containerd, 'info', `StopContainer for \\"${random.hex(64)}\\" with timeout 30 (s)`);
    rec.entry(kernel, 6, `cni0: port ${random.int(2, 40)}(${oldVeth}) entered disabled state`);
    rec.entry(kernel, 6, `device ${oldVeth} left promiscuous mode`);
    const mount = `var-lib-kubelet-pods-${random.hex(8)}\\x2d${random.hex(4)}\\x2d${random.hex(4)}\\x2d${random.hex(4)}\\x2d${random.hex(12)}-volumes-kubernetes.io\\x7eprojected-kube\\x2dapi\\x2daccess\\x2d${random.hex(5)}.mount`;
    systemd(rec, 'success', mount, `${mount}: Deactivated successfully.`);
  });
}

function dockerdSource(rec: Recorder): Source {
  return rec.daemon('docker.service', 'stdout', 'dockerd', {
    uid: 0,
    gid: 0,
    comm: 'dockerd',
    exe: '/usr/bin/dockerd',
    cmdline: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
  });
}

export function dockerd(rec: Recorder): void {
  const random = rec.random;
  const dockerd = dockerdSource(rec);
  const id = random.hex(64);
  const roll = random.next();
  if (roll < 0.5) {
    logrus(
      rec,
      dockerd,
      'info',
      'ignoring event',
      ` container=${id} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`,
    );
  } else if (roll < 0.7) {
    logrus(
      rec,
      dockerd,
      'info',
      `Container failed to exit within 10s of signal 15 - using the force`,
      ` container=${id}`,
    );
  } else if (roll < 0.85) {
    logrus(
      rec,
      dockerd,
      'error',
      `Handler for POST /v1.43/containers/${id.slice(0, 12)}/start returned error: driver failed programming external connectivity on endpoint ci-job-${random.int(1000, 99_999)} (${random.hex(64)}): Bind for 0.0.0.0:${random.pick([5432, 6379, 8080])} failed: port is already allocated`,
    );
  } else {
    logrus(
      rec,
      dockerd,
      'warning',
      `Error getting v2 registry: Get \\"https://registry.example.com/v2/\\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)`,
    );
  }
}

export function ciJob(rec: Recorder): void {
  const random = rec.random;
  const kernel = rec.kernel();
  const veth = `veth${random.hex(7)}`;
  const port = random.int(1, 12);
  rec.entry(kernel, 6, `docker0: port ${port}(${veth}) entered blocking state`);
  rec.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
  rec.entry(kernel, 6, `device ${veth} entered promiscuous mode`);
  rec.entry(kernel, 6, `eth0: renamed from ${`veth${random.hex(7)}`}`);
  rec.entry(kernel, 6, `IPv6: ADDRCONF(NETDEV_CHANGE): ${veth}: link becomes ready`);
  rec.entry(kernel, 6, `docker0: port ${port}(${veth}) entered forwarding state`);
  rec.later(random.logNormal(3 * MINUTE, 1), () => {
    rec.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
    rec.entry(kernel, 6, `device ${veth} left promiscuous mode`);
    rec.entry(kernel, 6, `docker0: port ${port}(${veth}) entered disabled state`);
    const mount = `var-lib-docker-overlay2-${random.hex(64)}-merged.mount`;
    systemd(rec, 'success', mount, `${mount}: Deactivated successfully.`);
  });
}

/** What kubelet logs as it comes up (after a boot or a restart). */
export function kubeletStarted(rec: Recorder): void {
  const node = rec.host.name;
  klog(rec, 'I', 'server.go:487', '"Kubelet version" kubeletVersion="v1.29.5"');
  klog(rec, 'I', 'server.go:489', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  klog(rec, 'I', 'kubelet_node_status.go:73', `"Attempting to register node" node="${node}"`);
  klog(rec, 'I', 'kubelet_node_status.go:112', `"Node was previously registered" node="${node}"`);
  klog(rec, 'I', 'kubelet.go:2337', '"Starting kubelet main sync loop"');
}

/** What containerd (or dockerd, `flavour` docker) logs as it comes up. */
export function containerRuntimeStarted(rec: Recorder, flavour: 'k8s' | 'docker'): void {
  const containerd = containerdSource(rec);
  logrus(rec, containerd, 'info', 'starting containerd', ' revision=1.6.20~ds1-1+b1 version=1.6.20~ds1');
  logrus(rec, containerd, 'info', `containerd successfully booted in 0.0${rec.random.int(30, 99)}s`);
  if (flavour === 'docker') {
    const dockerd = dockerdSource(rec);
    logrus(rec, dockerd, 'info', 'Daemon has completed initialization');
    logrus(rec, dockerd, 'info', 'API listen on /run/docker.sock');
  }
}

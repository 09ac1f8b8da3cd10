/** A developer's workstation: the desktop session's user services and NetworkManager. */
import { TEAM } from '../catalog.ts';
import type { CorpusEntry, Process, Recorder, Source } from '../recorder.ts';

function userService(
  rec: Recorder,
  userUnit: string,
  identifier: string,
  proc: Omit<Process, 'pid' | 'uid' | 'gid'>,
): Source {
  const member = TEAM[4];
  return rec.source(`user:${userUnit}`, () => ({
    transport: 'stdout',
    identifier,
    unit: `user@${member.uid}.service`,
    slice: `user-${member.uid}.slice`,
    cgroup: `/user.slice/user-${member.uid}.slice/user@${member.uid}.service/app.slice/${userUnit}`,
    userUnit,
    process: { ...proc, pid: rec.newPid(rec.host), uid: member.uid, gid: member.uid },
  }));
}

export function desktop(rec: Recorder): void {
  const random = rec.random;
  const roll = random.next();
  if (roll < 0.3) {
    const shell = userService(rec, 'org.gnome.Shell@wayland.service', 'gnome-shell', {
      comm: 'gnome-shell',
      exe: '/usr/bin/gnome-shell',
      cmdline: '/usr/bin/gnome-shell',
    });
    if (random.chance(0.15)) {
      rec.entry(
        shell,
        3,
        [
          `JS ERROR: TypeError: this._${random.pick(['indicator', 'menu', 'actor', 'settings'])} is null`,
          `_updateIcon@resource:///org/gnome/shell/ui/status/${random.pick(['network', 'volume', 'bluetooth'])}.js:${random.int(100, 900)}:${random.int(5, 40)}`,
          `_sync@resource:///org/gnome/shell/ui/panel.js:${random.int(100, 900)}:${random.int(5, 40)}`,
          `@resource:///org/gnome/shell/ui/init.js:21:20`,
        ].join('\n'),
      );
    } else {
      rec.entry(
        shell,
        4,
        `Window manager warning: Buggy client sent a _NET_ACTIVE_WINDOW message with a timestamp of 0 for 0x${random.hex(7)}`,
      );
    }
  } else if (roll < 0.55) {
    const pipewire = userService(rec, 'wireplumber.service', 'wireplumber', {
      comm: 'wireplumber',
      exe: '/usr/bin/wireplumber',
      cmdline: '/usr/bin/wireplumber',
    });
    rec.entry(
      pipewire,
      4,
      random.pick([
        "SPA handle 'api.libcamera.enum.manager' could not be loaded; is it installed?",
        "PipeWire's libcamera SPA missing or broken. libcamera not supported.",
        `<WpSiAudioAdapter:0x${random.hex(12)}> Object activation aborted: proxy destroyed`,
      ]),
    );
  } else if (roll < 0.85) {
    const syncthing = userService(rec, 'syncthing.service', 'syncthing', {
      comm: 'syncthing',
      exe: '/usr/bin/syncthing',
      cmdline: '/usr/bin/syncthing serve --no-browser --no-restart --logflags=0',
    });
    const device = random.hex(7).toUpperCase();
    rec.entry(
      syncthing,
      6,
      random.pick([
        `[${device}] INFO: Completed initial scan of sendreceive folder "Documents" (${random.hex(5)}-${random.hex(5)})`,
        `[${device}] INFO: Established secure connection to ${random.hex(7).toUpperCase()} at 192.168.1.${random.int(2, 250)}:22000-192.168.1.${random.int(2, 250)}:22000/tcp-client/TLS1.3-TLS_AES_128_GCM_SHA256`,
        `[${device}] INFO: Lost primary connection to ${random.hex(7).toUpperCase()} at 192.168.1.${random.int(2, 250)}:22000: reading length: EOF (${random.int(1, 3)} remain)`,
        `[${device}] INFO: Detected ${random.int(1, 3)} NAT service`,
      ]),
    );
  } else {
    const tracker = userService(rec, 'tracker-miner-fs-3.service', 'tracker-miner-f', {
      comm: 'tracker-miner-f',
      exe: '/usr/libexec/tracker-miner-fs-3',
      cmdline: '/usr/libexec/tracker-miner-fs-3',
    });
    rec.entry(
      tracker,
      4,
      `Could not process 'file:///home/carol/Downloads/${random.pick(['report', 'invoice', 'scan', 'slides'])}-${random.int(1, 999)}.${random.pick(['pdf', 'docx', 'odt'])}': ${random.pick(['Error when getting information for file “/home/carol/Downloads”: No such file or directory', 'Could not get any metadata for uri'])}`,
    );
  }
}

export function networkManager(rec: Recorder): void {
  const random = rec.random;
  const nm = rec.daemon('NetworkManager.service', 'journal', 'NetworkManager', {
    uid: 0,
    gid: 0,
    comm: 'NetworkManager',
    exe: '/usr/sbin/NetworkManager',
    cmdline: '/usr/sbin/NetworkManager --no-daemon',
  });
  const stamp = `[${(rec.clockUs / 1e6).toFixed(4)}]`;
  const device = 'wlp0s20f3';
  const fields = (level: string, domains: string, file: string, line: number, func: string): CorpusEntry => ({
    NM_LOG_LEVEL: level,
    NM_LOG_DOMAINS: domains,
    NM_DEVICE: device,
    CODE_FILE: file,
    CODE_LINE: String(line),
    CODE_FUNC: func,
  });
  const roll = random.next();
  if (roll < 0.6) {
    rec.entry(
      nm,
      6,
      `<info>  ${stamp} dhcp4 (${device}): state changed new lease, address=192.168.1.${random.int(2, 250)}, acd pending`,
      fields('info', 'DHCP4', 'src/core/dhcp/nm-dhcp-client.c', 669, '_nm_dhcp_client_notify'),
    );
  } else if (roll < 0.85) {
    rec.entry(
      nm,
      6,
      `<info>  ${stamp} device (${device}): supplicant interface state: ${random.pick(['completed -> 4way_handshake', '4way_handshake -> completed', 'scanning -> authenticating'])}`,
      fields('info', 'DEVICE,WIFI', 'src/core/devices/wifi/nm-device-wifi.c', 2594, 'supplicant_iface_state'),
    );
  } else {
    rec.entry(
      nm,
      4,
      `<warn>  ${stamp} dhcp4 (${device}): request timed out`,
      fields('warn', 'DHCP4', 'src/core/dhcp/nm-dhcp-client.c', 748, 'timeout_cb'),
    );
  }
}

// Elastic Defend for Containers file events: the files pods' processes open, including the
// service-account token that R4 watches.

import type { Cluster, Pod } from './cluster-model';
import type { Random } from './random';
import { compareTimestamps } from './time';
import type { DefendFileEvent } from './types';

export const SA_TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SA_TOKEN_PATH = `${SA_TOKEN_DIR}/token`;

type FileAction = DefendFileEvent['event']['action'];

export type FileContext = { cluster: Cluster; rng: Random; files: DefendFileEvent[] };

export type ProcessSpec = {
  name: string;
  executable: string;
  args: string[];
  interactive: boolean;
  pid: number;
  /** Interactive sessions: the shell the commands run under. */
  shellPid?: number;
  user?: { id: number; name: string };
};

export function addFileEvent(
  context: FileContext,
  pod: Pod,
  timeMillis: number,
  process: ProcessSpec,
  path: string,
  action: FileAction = 'open',
): DefendFileEvent {
  const { rng, cluster } = context;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const shell = process.shellPid
    ? { pid: process.shellPid, entity_id: rng.hex(24), name: 'sh', executable: '/bin/sh' }
    : { pid: process.pid, entity_id: rng.hex(24), name: process.name, executable: process.executable };
  const user = process.user ?? { id: 0, name: 'root' };
  const event: DefendFileEvent = {
    '@timestamp': new Date(timeMillis).toISOString(),
    agent: { id: pod.node.agentId, type: 'cloud-defend', version: '9.3.0' },
    cloud: { provider: 'aws', region: 'eu-west-1' },
    cloud_defend: {
      trace_point: action === 'open' ? 'lsm__file_open' : 'lsm__path_mknod',
      package_policy_id: '6f0a4c1e-2d5b-4e3a-9c71-d4c000000001',
      package_policy_revision: 3,
    },
    container: { id: pod.containerId, name: pod.containerName, image: { name: pod.image, tag: [pod.imageTag] } },
    data_stream: { dataset: 'cloud_defend.file', namespace: 'default', type: 'logs' },
    ecs: { version: '8.11.0' },
    event: {
      id: rng.uuid(),
      kind: 'event',
      category: ['file'],
      type: [action === 'creation' ? 'creation' : action === 'deletion' ? 'deletion' : 'change'],
      action,
      dataset: 'cloud_defend.file',
      module: 'cloud_defend',
      ingested: new Date(timeMillis + rng.int(800, 3500)).toISOString(),
    },
    file: dot > 0 ? { path, name, extension: name.slice(dot + 1) } : { path, name },
    host: {
      name: pod.node.name,
      hostname: pod.node.name,
      id: pod.node.hostId,
      os: { type: 'linux', kernel: '6.1.94-99.176.amzn2023.x86_64', name: 'Amazon Linux' },
    },
    orchestrator: {
      cluster: { name: cluster.name },
      namespace: pod.namespace,
      resource: { name: pod.name, type: 'pod' },
      type: 'kubernetes',
    },
    process: {
      pid: process.pid,
      entity_id: rng.hex(24),
      args: process.args,
      args_count: process.args.length,
      executable: process.executable,
      name: process.name,
      interactive: process.interactive,
      working_directory: process.interactive ? '/app' : pod.workingDirectory,
      start: new Date(timeMillis - rng.int(1, 40)).toISOString(),
      user,
      group: { id: user.id, name: user.name },
      parent: { ...shell },
      session_leader: { ...shell },
      entry_leader: { ...shell, entry_meta: { type: 'container' } },
    },
  };
  context.files.push(event);
  return event;
}

export type ShellCommand = { args: string[]; path: string; action?: FileAction };

export const LIST_TOKEN_DIRECTORY: ShellCommand = { args: ['ls', '-la', SA_TOKEN_DIR], path: SA_TOKEN_DIR };
export const READ_TOKEN: ShellCommand = { args: ['cat', SA_TOKEN_PATH], path: SA_TOKEN_PATH };
export const READ_TOKEN_NAMESPACE: ShellCommand = {
  args: ['cat', `${SA_TOKEN_DIR}/namespace`],
  path: `${SA_TOKEN_DIR}/namespace`,
};
export const READ_RESOLV_CONF: ShellCommand = { args: ['cat', '/etc/resolv.conf'], path: '/etc/resolv.conf' };
export const READ_APP_LOG: ShellCommand = {
  args: ['head', '-n', '50', '/var/log/app/app.log'],
  path: '/var/log/app/app.log',
};

/** What people run in a shell in a pod while troubleshooting: ordinary files, never the token. */
export const TROUBLESHOOTING_COMMANDS: ShellCommand[] = [
  READ_RESOLV_CONF,
  { args: ['cat', '/etc/hosts'], path: '/etc/hosts' },
  { args: ['ls', '-la', '/app'], path: '/app' },
  { args: ['cat', '/app/config/application.yaml'], path: '/app/config/application.yaml' },
  READ_APP_LOG,
  { args: ['cat', '/proc/1/cmdline'], path: '/proc/1/cmdline' },
  READ_TOKEN_NAMESPACE,
  { args: ['touch', '/tmp/debug.txt'], path: '/tmp/debug.txt', action: 'creation' },
  { args: ['vi', '/tmp/debug.txt'], path: '/tmp/debug.txt', action: 'modification' },
];

export function runInteractiveCommand(
  context: FileContext,
  pod: Pod,
  timeMillis: number,
  shellPid: number,
  command: ShellCommand,
) {
  const [name = 'sh'] = command.args;
  return addFileEvent(
    context,
    pod,
    timeMillis,
    {
      name,
      executable: `/bin/${name}`,
      args: command.args,
      interactive: true,
      pid: shellPid + context.rng.int(1, 400),
      shellPid,
    },
    command.path,
    command.action,
  );
}

/** The file events in @timestamp order, events of the same millisecond in the order they were added. */
export function sortFileEvents(files: DefendFileEvent[]): DefendFileEvent[] {
  return [...files].sort((left, right) => compareTimestamps(left['@timestamp'], right['@timestamp']));
}

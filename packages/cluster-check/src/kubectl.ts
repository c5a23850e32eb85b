/**
 * kubectl against one context, as the checks use it: JSON reads, exec in a pod, deletes.
 * Every failure names the command and what kubectl said.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A Kubernetes object as kubectl prints it; the checks read the few fields they need. */
export type K8sObject = Record<string, any>;

export class Kubectl {
  constructor(
    private readonly bin: string,
    private readonly context: string,
  ) {}

  /** Runs kubectl with the context; resolves with its standard output. */
  async run(args: string[], timeoutMs = 30_000): Promise<string> {
    try {
      const { stdout } = await execFileAsync(this.bin, ['--context', this.context, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; killed?: boolean; message: string };
      const said = failure.killed ? `no answer within ${timeoutMs / 1000} s` : failure.stderr?.trim() || failure.message;
      throw new Error(`kubectl ${args.join(' ')}: ${said}`);
    }
  }

  /** The items of a list (`get <kind>` with optional selectors), parsed. */
  async list(kind: string, namespace?: string, selector?: string): Promise<K8sObject[]> {
    const args = ['get', kind, '--output', 'json', ...(namespace ? ['--namespace', namespace] : []), ...(selector ? ['--selector', selector] : [])];
    return (JSON.parse(await this.run(args)) as { items: K8sObject[] }).items;
  }

  /** Runs a command in a pod's container; resolves with its standard output. */
  exec(namespace: string, pod: string, command: string[], options: { container?: string; timeoutMs?: number } = {}): Promise<string> {
    const container = options.container ? ['--container', options.container] : [];
    return this.run(['exec', '--namespace', namespace, pod, ...container, '--', ...command], options.timeoutMs ?? 30_000);
  }
}

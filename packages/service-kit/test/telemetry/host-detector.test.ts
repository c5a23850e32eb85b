import { arch, hostname } from 'node:os';
import { detectResources } from '@opentelemetry/resources';
import { hostDetectorWithoutId } from '../../src/telemetry/host-detector';

describe('hostDetectorWithoutId', () => {
  it("keeps the SDK host detector's host.name and host.arch, and never host.id", async () => {
    const resource = detectResources({ detectors: [hostDetectorWithoutId] });
    await resource.waitForAsyncAttributes?.();
    expect(resource.attributes['host.name']).toBe(hostname());
    expect(resource.attributes['host.arch']).toBe(arch() === 'x64' ? 'amd64' : expect.any(String));
    expect(Object.keys(resource.attributes)).not.toContain('host.id');
  });
});

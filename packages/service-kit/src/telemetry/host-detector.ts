import { hostDetector, type ResourceDetector } from '@opentelemetry/resources';

/**
 * The SDK's host detector (host.name, host.arch) without host.id. host.id is read from
 * /etc/machine-id, which a container image does not have: the SDK then warns "dropping invalid
 * resource attribute value for key host.id" at every start. Where the file exists in an
 * image it names the image, not the host, so it is dropped everywhere; in Kubernetes the
 * collector's k8sattributes adds k8s.node.name instead.
 */
export const hostDetectorWithoutId: ResourceDetector = {
  detect(config) {
    const { 'host.id': _machineId, ...attributes } = hostDetector.detect(config).attributes ?? {};
    return { attributes };
  },
};

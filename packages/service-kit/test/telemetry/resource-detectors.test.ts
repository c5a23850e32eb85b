import { containerDetector } from '@opentelemetry/resource-detector-container';
import * as aws from '@opentelemetry/resource-detector-aws';
import * as azure from '@opentelemetry/resource-detector-azure';
import { alibabaCloudEcsDetector } from '@opentelemetry/resource-detector-alibaba-cloud';
import { gcpDetector } from '@opentelemetry/resource-detector-gcp';
import { envDetector, osDetector, processDetector, serviceInstanceIdDetector } from '@opentelemetry/resources';
import { hostDetectorWithoutId } from '../../src/telemetry/host-detector';
import { resourceDetectors } from '../../src/telemetry/resource-detectors';
import { loadTelemetrySettings } from '../../src/telemetry/settings';

const detectorsBy = (env: Record<string, string>) => resourceDetectors(loadTelemetrySettings(env).OTEL_NODE_RESOURCE_DETECTORS);
const CLOUD = [alibabaCloudEcsDetector, aws.awsEc2Detector, aws.awsEcsDetector, aws.awsEksDetector, aws.awsBeanstalkDetector, aws.awsLambdaDetector, azure.azureAppServiceDetector, azure.azureFunctionsDetector, azure.azureVmDetector, gcpDetector];

describe('the resource detectors the preload runs', () => {
  it('by default: the environment, the host without host.id, the OS, the process, the instance id and the container; no cloud', () => {
    const detectors = detectorsBy({});
    expect(detectors).toEqual([envDetector, hostDetectorWithoutId, osDetector, processDetector, serviceInstanceIdDetector, containerDetector]);
    for (const cloud of CLOUD) expect(detectors).not.toContain(cloud);
  });

  it('runs a cloud detector only when OTEL_NODE_RESOURCE_DETECTORS names it', () => {
    expect(detectorsBy({ OTEL_NODE_RESOURCE_DETECTORS: 'env,aws' })).toEqual([envDetector, aws.awsEc2Detector, aws.awsEcsDetector, aws.awsEksDetector, aws.awsBeanstalkDetector, aws.awsLambdaDetector]);
    expect(detectorsBy({ OTEL_NODE_RESOURCE_DETECTORS: 'gcp' })).toEqual([gcpDetector]);
  });

  it('takes all and none as the bundle does', () => {
    expect(detectorsBy({ OTEL_NODE_RESOURCE_DETECTORS: 'none' })).toEqual([]);
    const all = detectorsBy({ OTEL_NODE_RESOURCE_DETECTORS: 'all' });
    expect(all).toEqual(expect.arrayContaining([...CLOUD, envDetector, hostDetectorWithoutId, osDetector, processDetector, serviceInstanceIdDetector, containerDetector]));
    expect(all).toHaveLength(CLOUD.length + 6);
  });
});

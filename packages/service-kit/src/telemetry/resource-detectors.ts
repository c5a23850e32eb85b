import { envDetector, osDetector, processDetector, serviceInstanceIdDetector, type ResourceDetector } from '@opentelemetry/resources';
import { hostDetectorWithoutId } from './host-detector';

/**
 * The names OTEL_NODE_RESOURCE_DETECTORS takes, as auto-instrumentations-node reads it: the
 * SDK's detectors, the container's, the four clouds', `all` and `none`.
 */
export const RESOURCE_DETECTOR_NAMES = ['env', 'host', 'os', 'process', 'serviceinstance', 'container', 'alibaba', 'aws', 'azure', 'gcp', 'all', 'none'] as const;

export type ResourceDetectorName = (typeof RESOURCE_DETECTOR_NAMES)[number];

/** The names of single detectors (or one cloud's set), what `all` stands for. */
type DetectorName = Exclude<ResourceDetectorName, 'all' | 'none'>;

const EVERY_DETECTOR = RESOURCE_DETECTOR_NAMES.filter((name): name is DetectorName => name !== 'all' && name !== 'none');

/**
 * The detectors one name stands for. `host` is the SDK's host detector without host.id
 * (host-detector.ts). The container's and the clouds' packages are required only when named:
 * each cloud's detectors ask that cloud's metadata address, off this machine, at start-up.
 */
function detectorsNamed(name: DetectorName): ResourceDetector[] {
  switch (name) {
    case 'env':
      return [envDetector];
    case 'host':
      return [hostDetectorWithoutId];
    case 'os':
      return [osDetector];
    case 'process':
      return [processDetector];
    case 'serviceinstance':
      return [serviceInstanceIdDetector];
    case 'container':
      return [(require('@opentelemetry/resource-detector-container') as typeof import('@opentelemetry/resource-detector-container')).containerDetector];
    case 'alibaba':
      return [(require('@opentelemetry/resource-detector-alibaba-cloud') as typeof import('@opentelemetry/resource-detector-alibaba-cloud')).alibabaCloudEcsDetector];
    case 'aws': {
      const aws = require('@opentelemetry/resource-detector-aws') as typeof import('@opentelemetry/resource-detector-aws');
      return [aws.awsEc2Detector, aws.awsEcsDetector, aws.awsEksDetector, aws.awsBeanstalkDetector, aws.awsLambdaDetector];
    }
    case 'azure': {
      const azure = require('@opentelemetry/resource-detector-azure') as typeof import('@opentelemetry/resource-detector-azure');
      return [azure.azureAppServiceDetector, azure.azureFunctionsDetector, azure.azureVmDetector];
    }
    case 'gcp':
      return [(require('@opentelemetry/resource-detector-gcp') as typeof import('@opentelemetry/resource-detector-gcp')).gcpDetector];
    default: {
      const unhandled: never = name;
      throw new Error(`no resource detector is named ${String(unhandled)}`);
    }
  }
}

/** The detectors a validated OTEL_NODE_RESOURCE_DETECTORS names, in its order. */
export function resourceDetectors(names: readonly ResourceDetectorName[]): ResourceDetector[] {
  if (names.includes('none')) return [];
  const named = names.includes('all') ? EVERY_DETECTOR : names.filter((name): name is DetectorName => name !== 'all' && name !== 'none');
  return named.flatMap(detectorsNamed);
}

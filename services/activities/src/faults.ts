import { annotateRequest, faultFlag, InjectedFault } from '@cruddur/service-kit';
import type { RequestHandler } from 'express';

/**
 * activitiesErrorRate: that fraction of the service's requests (its probes aside) fail with
 * a 500 before they reach a route, recorded on the SERVER span as an injected failure.
 */
export const errorRateFault: RequestHandler = async (req, _res, next) => {
  const rate = await faultFlag('activitiesErrorRate');
  if (rate > 0 && Math.random() < rate) {
    annotateRequest(req, { 'app.fault': 'activitiesErrorRate', 'app.fault.rate': rate });
    return next(new InjectedFault('activitiesErrorRate'));
  }
  next();
};

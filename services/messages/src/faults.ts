import { annotateRequest, AppError, faultFlag, InjectedFault } from '@cruddur/service-kit';
import type { RequestHandler } from 'express';

/** messagesUnavailable: the service answers 503 to everything but its probes, recorded on the SERVER span. */
export const unavailableFault: RequestHandler = async (req, _res, next) => {
  if (!(await faultFlag('messagesUnavailable'))) return next();
  annotateRequest(req, { 'app.fault': 'messagesUnavailable' });
  const fault = new InjectedFault('messagesUnavailable');
  next(new AppError('unavailable', `messages is unavailable: ${fault.message}`, [], { cause: fault }));
};

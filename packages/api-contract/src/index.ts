export { ERROR_STATUS, failsWith, INVALID_CODES, InvalidCodes, type ErrorKind, type InvalidCode } from './codes';
export { LIMITS } from './limits';
export { INTERNAL_OPERATIONS, PUBLIC_OPERATIONS, type ApiOperation, type FailureStatus, type FollowUp, type OperationId, type RoutedOperationId } from './operations';
export { ActivityParams, FindQuery, HandleList, HandleParams, LookupQuery, NewActivity, NewMessage, NewReply, SearchQuery, TTLS, type Ttl } from './requests';
export { Activity, HealthCheck, Message, MessageGroup, Notification, Reply, UserList, UserShort } from './responses';
export { boundedText, charCount, hasNul, nonBlank, NOT_BLANK, STORABLE_TEXT } from './text';

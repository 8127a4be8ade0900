export * from './business-hours';
export { describeStatus, type CalendarStatus } from './status';
export * from './sla';

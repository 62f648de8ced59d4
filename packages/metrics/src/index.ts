// @melguard/metrics — detection metrics shared by training and evaluation. Labels: 1 = fake (positive), 0 = real;
// decisions: score >= threshold -> fake.
export { accuracy, balancedAccuracy, confusion, predict, type Confusion } from './classification';
export { type CodedError, type MetricsErrorCode } from './errors';
export { NO_GROUP, perAttack, perGroup, type AttackMetrics, type GroupKeys, type GroupMetrics } from './groups';
export { eer, rocAuc, rocCurve, type EerResult, type RocCurve } from './roc';
export { formatSummary, summarise, type Summary, type SummaryOptions } from './summary';
export type { Numbers } from './validate';

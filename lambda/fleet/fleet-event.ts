import { type FleetSummary, SUMMARY_DETAIL_TYPE, SUMMARY_SOURCE } from './fleet-summary';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** A summary event that is not one the center accepts; named so the log says which. */
export class SummaryEventError extends Error {
  override name = 'SummaryEventError';
}

/**
 * The member summary carried by a fleet-bus event. The account is EventBridge's
 * (the sender's account, which a member cannot forge); the summary must agree
 * with it, so one member cannot speak for another account. The region is the
 * summary's: a PutEvents to a bus of another region carries the bus's region.
 */
export function summaryFromEvent(event: unknown): FleetSummary {
  const envelope = event as Record<string, unknown>;
  if (envelope?.source !== SUMMARY_SOURCE || envelope['detail-type'] !== SUMMARY_DETAIL_TYPE) {
    throw new SummaryEventError('not a sweep summary event');
  }
  const detail = envelope.detail as Record<string, unknown> | undefined;
  const account = envelope.account;
  if (typeof account !== 'string' || !ACCOUNT.test(account)) {
    throw new SummaryEventError(`the event's account ${JSON.stringify(account)} is not an account id`);
  }
  if (detail?.schema !== 1)
    throw new SummaryEventError(`summary schema ${JSON.stringify(detail?.schema)} unknown`);
  if (detail.account !== account) {
    throw new SummaryEventError(
      `a summary for account ${JSON.stringify(detail.account)} was sent from account ${account}`,
    );
  }
  if (typeof detail.region !== 'string' || !REGION.test(detail.region)) {
    throw new SummaryEventError(`the summary's region ${JSON.stringify(detail.region)} is not a region`);
  }
  for (const key of ['due', 'unverified', 'errors'] as const) {
    if (!Array.isArray(detail[key])) throw new SummaryEventError(`the summary's ${key} is not a list`);
  }
  if (typeof detail.counts !== 'object' || detail.counts === null) {
    throw new SummaryEventError("the summary's counts are missing");
  }
  return detail as unknown as FleetSummary;
}

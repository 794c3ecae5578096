/** How a person stops a deletion; every report that announces one says it. */
export const STOP_A_DELETION =
  'To stop a deletion: restore the Service (its status must name the load balancer), or tag the load balancer ' +
  '(or the target group, security group or rule) nlb-janitor/ignore with any value but false (e.g. nlb-janitor/ignore=true).';

/** The cadence, said at the end of every email so silence is never a mystery. */
export const CADENCE =
  'The janitor writes when something changes, once more in the 24 hours before each deletion, and in a daily digest; ' +
  'failures of the function and unreadable clusters also raise CloudWatch alarms to this topic.';

/**
 * A Network Load Balancer's fixed hourly charge in us-east-1 (0.0225 USD) over an
 * average month of 730 hours. Capacity units (NLCU) come on top and are not
 * estimated: an orphan carries little traffic. Other regions cost a little more.
 */
export const ESTIMATED_NLB_MONTHLY_COST_USD = 16.43;

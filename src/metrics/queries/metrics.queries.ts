/** The gauges /metrics reads from the database, in one statement. */
export const QUEUE_DEPTHS = `
  SELECT (SELECT count(*) FROM payments WHERE next_check_at IS NOT NULL)::int
       + (SELECT count(*) FROM refunds WHERE next_check_at IS NOT NULL)::int AS backlog,
         (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS webhooks`;

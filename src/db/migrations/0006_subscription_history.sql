-- Subscription history for MRR metrics: `subscriptions` holds only the current state, so MRR at
-- an earlier instant and its movements (new, expansion, contraction, churn, reactivation) come
-- from an append-only log of changes to each subscription's counted MRR.

-- Stripe's customer: movements are classified per customer, not per subscription. The
-- acquisition channel (Stripe metadata `channel`) attributes new customers for CAC per channel.
ALTER TABLE subscriptions
  ADD COLUMN customer_id text CHECK (customer_id IS NULL OR length(customer_id) BETWEEN 1 AND 255),
  ADD COLUMN channel     text CHECK (channel IS NULL OR length(channel) BETWEEN 1 AND 100);
CREATE INDEX subscriptions_domain_customer_idx ON subscriptions (domain_id, customer_id);

-- Marketing spend per acquisition channel (e.g. Paid Search), for CAC per channel.
ALTER TABLE costs
  ADD COLUMN channel text CHECK (channel IS NULL OR length(channel) BETWEEN 1 AND 100);

-- One row each time a subscription's counted MRR changes (counted MRR = mrr_eur while active or
-- past_due, else 0), written in the transaction that applies the Stripe event. Per subscription
-- the rows chain: the first starts from 0, each mrr_before is the previous mrr_after, and the
-- last mrr_after is the current counted MRR; so MRR at an instant is the sum of the deltas before it.
CREATE TABLE subscription_changes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id       uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  -- Stripe's customer as the event named it; NULL for rows backfilled before it was recorded.
  customer_id     text,
  -- When the change happened: the Stripe event's time (or the subscription's start, see below).
  at              timestamptz NOT NULL,
  mrr_before      numeric(14, 2) NOT NULL CHECK (mrr_before >= 0),
  mrr_after       numeric(14, 2) NOT NULL CHECK (mrr_after >= 0),
  -- NULL: the subscription had not been seen before.
  status_before   text CHECK (status_before IN ('trialing', 'active', 'past_due', 'canceled', 'paused')),
  status_after    text NOT NULL CHECK (status_after IN ('trialing', 'active', 'past_due', 'canceled', 'paused')),
  -- The Stripe event that caused the change; NULL for the backfill.
  event_id        text,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (mrr_before <> mrr_after)
);
CREATE INDEX subscription_changes_domain_at_idx ON subscription_changes (domain_id, at);
CREATE INDEX subscription_changes_subscription_idx ON subscription_changes (subscription_id, at);
ALTER TABLE subscription_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON subscription_changes
  USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
-- Append-only for the application: no UPDATE or DELETE.
GRANT SELECT, INSERT ON subscription_changes TO portfolio_app;

-- Backfill: a subscription counted today gets one change at its start. Earlier states of the
-- others are unknown (a canceled one may never have paid), so they get none; the chain still
-- ends at today's counted MRR for every subscription.
INSERT INTO subscription_changes (domain_id, subscription_id, customer_id, at, mrr_before, mrr_after,
                                  status_before, status_after)
SELECT domain_id, id, NULL, started_at, 0, mrr_eur, NULL, status
  FROM subscriptions
 WHERE status IN ('active', 'past_due') AND mrr_eur > 0;

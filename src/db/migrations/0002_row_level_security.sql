-- Domain scope enforced by PostgreSQL itself. Requests run as the unprivileged role
-- portfolio_app (SET LOCAL ROLE) with their scope in transaction-local settings:
--   app.scope_all  = 'on'  → every domain (owner, unscoped admins)
--   app.domain_ids = '{…}' → only these domains
-- A query that forgets its domain filter still only sees rows of the caller's domains.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portfolio_app') THEN
    CREATE ROLE portfolio_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
EXCEPTION
  -- Roles are cluster-wide: another database on the same server may create it concurrently.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- A non-superuser owner must be a member of the role to SET ROLE to it.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'portfolio_app', 'MEMBER') THEN
    EXECUTE format('GRANT portfolio_app TO %I', current_user);
  END IF;
END
$$;

CREATE FUNCTION app_scope_all() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.scope_all', true), '') = 'on' $$;

CREATE FUNCTION app_domain_ids() RETURNS uuid[]
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(nullif(current_setting('app.domain_ids', true), ''), '{}')::uuid[] $$;

CREATE FUNCTION app_can_see(domain uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT app_scope_all() OR (domain IS NOT NULL AND domain = ANY (app_domain_ids())) $$;

-- Tables keyed by domain: visible and writable only inside the scope.
ALTER TABLE domains ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON domains USING (app_can_see(id)) WITH CHECK (app_scope_all());

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON events USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE revenue ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON revenue USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON subscriptions USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE costs ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON costs USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE agent_executions ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON agent_executions USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE smart_contracts ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON smart_contracts USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE visitor_identities ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON visitor_identities USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE user_domains ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON user_domains USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON api_keys USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

-- A user is visible to a domain's scope once active on that domain. Creating a user reveals
-- nothing, so inserts are open; the domain link (user_domains) is what is scoped.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON users FOR SELECT USING (
  app_scope_all() OR EXISTS (
    SELECT 1 FROM user_domains ud WHERE ud.user_id = users.id AND ud.domain_id = ANY (app_domain_ids())
  )
);
CREATE POLICY scope_insert ON users FOR INSERT WITH CHECK (true);
CREATE POLICY scope_update ON users FOR UPDATE USING (
  app_scope_all() OR EXISTS (
    SELECT 1 FROM user_domains ud WHERE ud.user_id = users.id AND ud.domain_id = ANY (app_domain_ids())
  )
);
CREATE POLICY scope_delete ON users FOR DELETE USING (app_scope_all());

ALTER TABLE user_wallets ENABLE ROW LEVEL SECURITY;
-- The subquery on users is itself filtered by the users policy.
CREATE POLICY follows_user ON user_wallets
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = user_wallets.user_id))
  WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = user_wallets.user_id));

-- Access control and portfolio history: unscoped callers only.
ALTER TABLE operators ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON operators USING (app_scope_all()) WITH CHECK (app_scope_all());
ALTER TABLE operator_domains ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON operator_domains USING (app_scope_all()) WITH CHECK (app_scope_all());
ALTER TABLE operator_credentials ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON operator_credentials USING (app_scope_all()) WITH CHECK (app_scope_all());
ALTER TABLE portfolio_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON portfolio_versions USING (app_scope_all()) WITH CHECK (app_scope_all());

-- The audit log is append-only for the application: no UPDATE or DELETE grant below.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON audit_log FOR SELECT USING (app_can_see(domain_id));
CREATE POLICY scope_append ON audit_log FOR INSERT WITH CHECK (domain_id IS NULL OR app_can_see(domain_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON
  domains, users, user_wallets, user_domains, visitor_identities, events, revenue, subscriptions,
  costs, agent_executions, smart_contracts, operators, operator_domains, operator_credentials,
  api_keys, portfolio_versions
  TO portfolio_app;
GRANT SELECT, INSERT ON audit_log TO portfolio_app;
-- Event partitions get no grant: reading a partition directly would bypass the parent's policy.

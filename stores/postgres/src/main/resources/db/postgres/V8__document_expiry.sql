-- Documents that may be forgotten from a time on (an idempotency key's answer), found by it. The new
-- column has no default, so adding it rewrites nothing; the index holds only the documents that expire
-- (it reads the table once as it builds, holding off its writes meanwhile, once, at the upgrade).
ALTER TABLE documents ADD COLUMN expires_at TIMESTAMPTZ;
CREATE INDEX documents_by_expiry ON documents (expires_at) WHERE expires_at IS NOT NULL;

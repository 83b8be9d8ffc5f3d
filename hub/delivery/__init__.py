"""Webhook delivery of referral messages: the transactional outbox and the worker draining it."""
